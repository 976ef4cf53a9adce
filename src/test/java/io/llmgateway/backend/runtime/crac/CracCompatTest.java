package io.llmgateway.backend.runtime.crac;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.testing.ChildJvm;
import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * org.crac's delegation to this package: code that registers {@code org.crac} resources, as the
 * backend's priming and entitlement reload do, has them run by the runtime's hooks when the JVM names
 * the package in {@code -Dorg.crac.Core.Compat}. In a fresh JVM, because org.crac picks its
 * implementation once, when its {@code Core} class is initialised.
 */
class CracCompatTest {

    /** Registers two org.crac resources, runs this package's global hooks, prints what ran in which order. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            StringBuilder order = new StringBuilder();
            org.crac.Resource first = resource("first", order);
            org.crac.Resource second = resource("second", order);
            org.crac.Core.getGlobalContext().register(first);
            org.crac.Core.getGlobalContext().register(second);
            Core.getGlobalContext().beforeCheckpoint(null);
            Core.getGlobalContext().afterRestore(null);
            System.out.println("ORDER " + order + " " + (first != second));
        }

        private static org.crac.Resource resource(String name, StringBuilder order) {
            return new org.crac.Resource() {
                @Override
                public void beforeCheckpoint(org.crac.Context<? extends org.crac.Resource> context) {
                    order.append("before:").append(name).append(' ');
                }

                @Override
                public void afterRestore(org.crac.Context<? extends org.crac.Resource> context) {
                    order.append("after:").append(name).append(' ');
                }
            };
        }
    }

    private static ChildJvm.Result probe(List<String> flags) throws Exception {
        List<Path> classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of).toList();
        return ChildJvm.run(classpath, flags, Map.of(), Probe.class.getName());
    }

    @Test
    void orgCracResources_runAsThisPackagesHooks_beforeInReverseOrder_afterInOrder() throws Exception {
        ChildJvm.Result result = probe(List.of("-Dorg.crac.Core.Compat=" + Core.class.getPackageName()));

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout()).contains("ORDER before:second before:first after:first after:second ");
    }

    @Test
    void withoutTheProperty_orgCracRegistersNothingHere() throws Exception {
        ChildJvm.Result result = probe(List.of());

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout()).contains("ORDER  true");
    }
}
