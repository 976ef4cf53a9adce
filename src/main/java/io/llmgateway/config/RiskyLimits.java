package io.llmgateway.config;

import io.llmgateway.common.Text;
import java.util.Map;

/** Limits that are allowed but probably not what was meant: warnings, the deployment goes ahead. */
final class RiskyLimits {

    /** The account's default throttle per Region ("Amazon API Gateway quotas"). */
    static final int ACCOUNT_RATE_LIMIT = 10_000;

    private RiskyLimits() {
    }

    static void warn(Map<String, Plan> plans, Map<String, Client> clients, Throttle stage, Report report) {
        KeyPath plansPath = KeyPath.of(ConfigLoader.PLANS);
        KeyPath stageRatePath = KeyPath.of(Setting.STAGE_RATE_LIMIT.key());
        double total = 0;
        boolean totalHidden = false;
        for (Plan plan : plans.values()) {
            KeyPath throttlePath = plansPath.child(plan.name()).child("throttle");
            KeyPath ratePath = throttlePath.child("rateLimit");
            double rate = plan.throttle().rateLimit();
            long keys = clients.values().stream().filter(c -> c.enabled() && c.plan().equals(plan.name())).count();
            total += rate * Math.max(1, keys);
            totalHidden |= report.isSecret(ratePath);
            if (rate > stage.rateLimit()) {
                report.warn(throttlePath, "rateLimit " + report.showNumber(ratePath, rate) + " is above stageRateLimit "
                        + report.showNumber(stageRatePath, stage.rateLimit())
                        + "; the stage-wide limit applies first, so the plan's rate is never reached");
            }
        }
        if (total > ACCOUNT_RATE_LIMIT) {
            report.warn(plansPath, "the plans allow " + (totalHidden ? Report.HIDDEN : Text.number(total))
                    + " requests per second across their keys, above the account's default " + ACCOUNT_RATE_LIMIT
                    + " rps per Region; AWS throttles at the account limit first");
        }
    }
}
