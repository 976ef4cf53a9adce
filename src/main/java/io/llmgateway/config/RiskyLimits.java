package io.llmgateway.config;

import java.util.Map;

/**
 * Limits that are allowed but probably not what was meant: warnings, the deployment goes ahead. What
 * all keys together can ask of the stage and the account is the capacity report's ({@link CapacityReport}).
 */
final class RiskyLimits {

    private RiskyLimits() {
    }

    static void warn(Map<String, Plan> plans, Throttle stage, LoadReport report) {
        KeyPath plansPath = KeyPath.of(ConfigLoader.PLANS);
        KeyPath stageRatePath = KeyPath.of(Setting.STAGE_RATE_LIMIT.key());
        for (Plan plan : plans.values()) {
            KeyPath throttlePath = plansPath.child(plan.name()).child("throttle");
            KeyPath ratePath = throttlePath.child("rateLimit");
            double rate = plan.throttle().rateLimit();
            if (rate > stage.rateLimit()) {
                report.warn(throttlePath, "rateLimit " + report.showNumber(ratePath, rate) + " is above stageRateLimit "
                        + report.showNumber(stageRatePath, stage.rateLimit())
                        + "; the stage-wide limit applies first, so the plan's rate is never reached");
            }
        }
    }
}
