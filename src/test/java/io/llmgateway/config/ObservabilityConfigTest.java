package io.llmgateway.config;

import static io.llmgateway.config.Configs.map;
import static io.llmgateway.config.Configs.problems;
import static io.llmgateway.config.Configs.set;
import static io.llmgateway.config.Configs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code alarms} and {@code capacity}: defaults, what may be tuned, and the errors for what may not. */
class ObservabilityConfigTest {

    private static StackConfig load(Map<String, Object> config) {
        return ConfigLoader.load(config, Set.of()).config();
    }

    @Test
    void withoutEitherSection_everyAlarmIsOnAtItsDefault_andTheAccountHasAwsDefaults() {
        StackConfig config = load(valid());

        assertThat(config.alarms().emails()).isEmpty();
        assertThat(config.alarms().alarms().values()).hasSize(AlarmKind.values().length)
                .allSatisfy(alarm -> assertThat(alarm.enabled()).isTrue())
                .allSatisfy(alarm -> assertThat(alarm.minutes()).isEqualTo(5));
        assertThat(config.alarms().get(AlarmKind.SERVER_ERRORS).threshold()).isEqualTo(5);
        assertThat(config.alarms().get(AlarmKind.BEDROCK_THROTTLES).threshold()).isEqualTo(10);
        // 90 % of the default 29,000 ms integration timeout.
        assertThat(config.alarms().get(AlarmKind.LATENCY).threshold()).isEqualTo(26_100);
        assertThat(load(set(set(valid(), "integrationTimeoutMs", 10_000), "lambdaTimeoutSeconds", 9)).alarms()
                .get(AlarmKind.LATENCY).threshold())
                .isEqualTo(9_000);
        assertThat(config.capacity()).isEqualTo(Capacity.defaults());
    }

    @Test
    void eachAlarm_isSwitchableAndTunable() {
        Map<String, Object> config = set(valid(), "alarms", map(
                "emails", List.of("ops@example.com", "oncall+llm@team.example.org"),
                "serverErrors", map("threshold", 2.5, "minutes", 15),
                "lambdaErrors", map("enabled", false),
                "latency", map("threshold", "20000")));
        Alarms alarms = load(config).alarms();

        assertThat(alarms.emails()).containsExactly("ops@example.com", "oncall+llm@team.example.org");
        assertThat(alarms.get(AlarmKind.SERVER_ERRORS)).isEqualTo(new Alarm(AlarmKind.SERVER_ERRORS, true, 2.5, 15));
        assertThat(alarms.get(AlarmKind.LAMBDA_ERRORS).enabled()).isFalse();
        assertThat(alarms.get(AlarmKind.LATENCY).threshold()).isEqualTo(20_000);
        assertThat(alarms.get(AlarmKind.BACKEND_FAILURES)).isEqualTo(new Alarm(AlarmKind.BACKEND_FAILURES, true, 1, 5));
    }

    @Test
    void badAlarmSettings_areRefusedWithTheirPathAndWhatIsAllowed() {
        assertThat(problems(set(valid(), "alarms", map("emails", List.of("ops@example.com", "Ops <ops@example.com>",
                "OPS@example.com", "not-an-address"))))).containsExactly(
                "alarms.emails[1]: 'Ops <ops@example.com>' is not an email address SNS can deliver to (name@domain.tld, "
                        + "no spaces or display name)",
                "alarms.emails[2]: 'OPS@example.com' is listed twice",
                "alarms.emails[3]: 'not-an-address' is not an email address SNS can deliver to (name@domain.tld, no "
                        + "spaces or display name)");
        assertThat(problems(set(valid(), "alarms", map("emails", "ops@example.com")))).containsExactly(
                "alarms.emails: must be a list of email addresses, e.g. [\"ops@example.com\"] (pulumi config set "
                        + "--path 'alarms.emails[0]' ops@example.com), got 'ops@example.com'");
        assertThat(problems(set(valid(), "alarms", map("serverError", map("enabled", false))))).containsExactly(
                "alarms.serverError: unknown key (did you mean 'serverErrors'?); valid keys here: emails, serverErrors, "
                        + "latency, bedrockThrottles, lambdaThrottles, lambdaErrors, backendFailures");
        assertThat(problems(set(valid(), "alarms", map("serverErrors", map("threshold", 150, "minutes", 0,
                "enabled", "yes"))))).containsExactlyInAnyOrder(
                "alarms.serverErrors.enabled: must be true or false, got 'yes'",
                "alarms.serverErrors.threshold: 150 is out of range for percent of requests answered with a 5xx; "
                        + "allowed: 0.01-100",
                "alarms.serverErrors.minutes: 0 is out of range; allowed: 1-1440");
        assertThat(problems(set(valid(), "alarms", map("bedrockThrottles", map("threshold", 2.5))))).containsExactly(
                "alarms.bedrockThrottles.threshold: must be an integer, got 2.5");
        assertThat(problems(set(valid(), "alarms", map("lambdaThrottles", true)))).containsExactly(
                "alarms.lambdaThrottles: must be an object, got true, e.g. {\"enabled\": false} or {\"threshold\": 1}");
    }

    @Test
    void aLatencyThresholdAboveTheIntegrationTimeout_couldNeverFire() {
        assertThat(problems(set(set(set(valid(), "integrationTimeoutMs", 10_000), "lambdaTimeoutSeconds", 9), "alarms",
                map("latency", map("threshold", 12_000))))).containsExactly(
                "alarms.latency.threshold: 12000 ms is above integrationTimeoutMs (10000 ms): API Gateway ends every "
                        + "request by then, so the alarm could never fire");
    }

    @Test
    void capacity_takesTheAccountsFiguresAndPerModelQuotas() {
        Capacity capacity = load(set(valid(), "capacity", map("accountRateLimit", 25_000, "accountBurstLimit", "7500",
                "accountConcurrency", 3000, "modelLatencyMs", 1200,
                "bedrockTokensPerMinute", map("nova-micro", 2_000_000)))).capacity();

        assertThat(capacity).isEqualTo(new Capacity(25_000, 7_500, 3_000, 1_200, Map.of("nova-micro", 2_000_000L)));
    }

    @Test
    void badCapacitySettings_areRefusedWithTheirPath() {
        assertThat(problems(set(valid(), "capacity", map("accountRateLimit", 0, "modelLatencyMs", 1.5,
                "bedrockTokensPerMinute", map("nova-mikro", 1000), "acountConcurrency", 5)))).containsExactlyInAnyOrder(
                "capacity.acountConcurrency: unknown key (did you mean 'accountConcurrency'?); valid keys here: "
                        + "accountRateLimit, accountBurstLimit, accountConcurrency, modelLatencyMs, bedrockTokensPerMinute",
                "capacity.accountRateLimit: 0 is out of range; allowed: 1-1000000",
                "capacity.modelLatencyMs: must be an integer, got 1.5",
                "capacity.bedrockTokensPerMinute.nova-mikro: is not a model of this stack (did you mean 'nova-micro'?); "
                        + "models: nova-micro");
    }

    @Test
    void bothSectionsAreTopLevelKeys() {
        assertThat(ConfigLoader.topLevelKeys()).contains("alarms", "capacity");
    }
}
