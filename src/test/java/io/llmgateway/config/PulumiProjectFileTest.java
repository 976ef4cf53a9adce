package io.llmgateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Pulumi.yaml and {@link Setting} describe the same scalar keys: the CLI validates with one, the program with the other. */
class PulumiProjectFileTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> declaredConfig() throws Exception {
        try (Reader reader = Files.newBufferedReader(Path.of("Pulumi.yaml"))) {
            Map<String, Object> project = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            assertThat(project.get("name")).isEqualTo(ConfigLoader.NAMESPACE);
            return (Map<String, Map<String, Object>>) project.get("config");
        }
    }

    @Test
    void pulumiYamlDeclaresEverySettingWithTheSameTypeDefaultAndDescription() throws Exception {
        Map<String, Map<String, Object>> declared = declaredConfig();
        for (Setting setting : Setting.values()) {
            assertThat(declared).as(setting.key()).containsKey(setting.key());
            Map<String, Object> entry = declared.get(setting.key());
            assertThat(entry.get("type")).as(setting.key() + " type").isEqualTo(setting.kind().pulumiType());
            assertThat(entry.get("default")).as(setting.key() + " default").isEqualTo(setting.defaultValue());
            assertThat(entry.get("description")).as(setting.key() + " description").isEqualTo(setting.description());
        }
    }

    @Test
    void pulumiYamlDeclaresNoOtherTypedScalar() throws Exception {
        Map<String, Map<String, Object>> typed = new LinkedHashMap<>(declaredConfig());
        typed.values().removeIf(entry -> !entry.containsKey("type"));
        assertThat(typed.keySet()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(Setting.values()).map(Setting::key).toList());
    }
}
