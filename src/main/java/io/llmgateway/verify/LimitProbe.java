package io.llmgateway.verify;

import io.llmgateway.common.Text;
import io.llmgateway.config.StackConfig;
import io.llmgateway.config.Plan;
import io.llmgateway.config.Throttle;
import io.llmgateway.contract.Headers;
import io.llmgateway.contract.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * {@code --probe-limits}: a burst past the plan on a dedicated client, to see API Gateway's 429 with
 * Retry-After and compare the accepted count with what the plan allows; and, only on a small quota
 * and with {@code --i-know}, the quota's end. It sends {@code GET /v1/models}, which calls no model
 * and costs no tokens, but every request counts against the client's quota.
 */
final class LimitProbe {

    /** The most requests a throttle probe sends: a bigger plan cannot be probed from one machine. */
    static final int MAX_OFFERED = 1000;
    /** The largest quota the quota probe uses up. */
    static final int MAX_PROBED_QUOTA = 100;
    /** The share of a quota a throttle probe may spend without --i-know. */
    static final double QUOTA_SHARE = 0.1;
    /**
     * How far the accepted count may stray from burst + rate x time. AWS applies usage-plan throttles
     * "on a best-effort basis" (API Gateway developer guide, "Usage plans and API keys for REST APIs"),
     * so a burst can pass a little more or less than the bucket; outside this the plan is not what is applied.
     */
    static final double MIN_RATIO = 0.5;
    static final double MAX_RATIO = 2.0;
    static final int CONCURRENCY = 32;

    /**
     * The limits of the probed route for the probe's client.
     *
     * @param rate   requests per second
     * @param burst  bucket size
     * @param quota  requests per period, or null without a quota
     * @param period the quota's period, for messages ("DAY"), or null
     * @param source where the numbers come from, for messages
     */
    record Limits(double rate, int burst, Integer quota, String period, String source) {
        Limits {
            if (!(rate > 0) || burst < 1 || (quota != null && quota < 1)) {
                throw new IllegalArgumentException("need rate > 0, burst >= 1 and quota >= 1, got " + rate + ", "
                        + burst + ", " + quota);
            }
        }

        /**
         * From the stack config: the client's plan for {@code GET /v1/models}, or the stage's limits where
         * they are tighter (they apply to all clients together, after the plan's).
         */
        static Limits of(StackConfig config, Plan plan) {
            Throttle t = plan.throttleFor(Route.MODELS);
            Throttle stage = config.api().stageThrottle();
            double rate = Math.min(t.rateLimit(), stage.rateLimit());
            int burst = Math.min(t.burstLimit(), stage.burstLimit());
            String source = "plan " + Text.quote(plan.name()) + " (" + Route.MODELS.throttlePath() + ": "
                    + Text.number(t.rateLimit()) + "/s, burst " + t.burstLimit() + ")";
            if (rate < t.rateLimit() || burst < t.burstLimit()) {
                source += ", within the stage's " + Text.number(stage.rateLimit()) + "/s, burst " + stage.burstLimit();
            }
            return new Limits(rate, burst, plan.quota().map(q -> q.limit()).orElse(null),
                    plan.quota().map(q -> q.period().name()).orElse(null), source);
        }

        String quotaText() {
            return quota == null ? "no quota" : quota + " per " + period.toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What the probe will do.
     *
     * @param offered    requests in the burst
     * @param quotaProbe whether it then uses up the quota
     */
    record Decision(int offered, boolean quotaProbe) {
    }

    /** Requests in the burst: twice what the plan allows in its first second. */
    static int offered(Limits limits) {
        return (int) Math.min(Integer.MAX_VALUE, 2 * (limits.burst() + (long) Math.ceil(limits.rate())));
    }

    /**
     * Whether and how to probe; never so that a production quota runs out.
     *
     * @throws IllegalArgumentException saying why the probe is refused
     */
    static Decision decide(Limits limits, boolean iKnow) {
        int offered = offered(limits);
        if (offered > MAX_OFFERED) {
            throw new IllegalArgumentException("--probe-limits: " + limits.source() + " allows " + limits.burst()
                    + " + " + Text.number(limits.rate()) + " requests in its first second; probing it takes " + offered
                    + " requests, more than the " + MAX_OFFERED + " this command sends. Probe a dedicated client on a"
                    + " small plan");
        }
        if (limits.quota() == null) {
            return new Decision(offered, false);
        }
        if (iKnow) {
            if (limits.quota() > MAX_PROBED_QUOTA) {
                throw new IllegalArgumentException("--i-know: the quota probe uses up the whole quota, so it runs only"
                        + " on a plan whose quota is at most " + MAX_PROBED_QUOTA + " requests; this one has "
                        + limits.quotaText() + ". Drop --i-know to probe the throttle alone");
            }
            return new Decision(offered, true);
        }
        if (offered > limits.quota() * QUOTA_SHARE) {
            throw new IllegalArgumentException("--probe-limits sends " + offered + " requests, more than "
                    + Math.round(QUOTA_SHARE * 100) + "% of the quota (" + limits.quotaText() + "). Probe a dedicated"
                    + " client on a plan with a larger quota, or on one with a quota of at most " + MAX_PROBED_QUOTA
                    + " with --i-know to probe the quota as well");
        }
        return new Decision(offered, false);
    }

    /**
     * What a burst came back with.
     *
     * @param offered           requests sent
     * @param accepted          2xx answers
     * @param throttled         429 answers other than insufficient_quota
     * @param quotaRefused      429 insufficient_quota answers
     * @param others            every other answer, described
     * @param elapsedNanos      from the first request sent to the last answer
     * @param missingRetryAfter the throttled answers without a valid Retry-After, described
     * @param retryAfter        the Retry-After of the first throttled answer, or null
     * @param requestId         the request id of the first throttled (else any) answer, or null
     */
    record Burst(int offered, int accepted, int throttled, int quotaRefused, List<String> others, long elapsedNanos,
                 List<String> missingRetryAfter, String retryAfter, String requestId) {
        Burst {
            others = List.copyOf(others);
            missingRetryAfter = List.copyOf(missingRetryAfter);
        }

        /** What the plan allows in the burst's time: burst + rate x seconds. */
        double allowed(Limits limits) {
            return limits.burst() + limits.rate() * elapsedNanos / 1e9;
        }
    }

    private final Session session;
    private final String apiKey;
    private final Limits limits;

    LimitProbe(Session session, String apiKey, Limits limits) {
        this.session = session;
        this.apiKey = apiKey;
        this.limits = limits;
    }

    private CallOutcome<Integer> models(Check check) {
        return session.once(check, Session.route("GET", "/models"),
                () -> session.client(apiKey).models().withRawResponse().list(), page -> page.data().size());
    }

    /** Sends the burst, {@value #CONCURRENCY} at a time, and judges it. */
    CheckResult throttle(int offered) {
        long started = session.time().nanoTime();
        List<CallOutcome<Integer>> answers = new ArrayList<>();
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "verify-probe");
            t.setDaemon(true);
            return t;
        };
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(CONCURRENCY, offered), daemons);
        try {
            List<Future<CallOutcome<Integer>>> futures = new ArrayList<>();
            for (int i = 0; i < offered; i++) {
                futures.add(pool.submit(() -> models(Check.LIMITS_THROTTLE)));
            }
            for (Future<CallOutcome<Integer>> f : futures) {
                answers.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.fail(Check.LIMITS_THROTTLE, session.time().nanoTime() - started, "interrupted",
                    "a finished burst", "interrupted", null);
        } catch (ExecutionException e) {
            return CheckResult.fail(Check.LIMITS_THROTTLE, session.time().nanoTime() - started, "the burst failed",
                    "a finished burst", String.valueOf(e.getCause()), null);
        } finally {
            pool.shutdownNow();
        }
        long elapsed = session.time().nanoTime() - started;
        return judge(tally(answers, elapsed), limits, elapsed);
    }

    static Burst tally(List<CallOutcome<Integer>> answers, long elapsedNanos) {
        int accepted = 0;
        int throttled = 0;
        int quota = 0;
        List<String> others = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        String retryAfter = null;
        String requestId = null;
        for (CallOutcome<Integer> a : answers) {
            if (a.ok()) {
                accepted++;
            } else if (a.error() != null && a.error().status() == 429 && "insufficient_quota".equals(a.error().code())) {
                quota++;
            } else if (a.error() != null && a.error().status() == 429) {
                throttled++;
                Optional<String> value = a.seen().header(Headers.RETRY_AFTER);
                if (value.isEmpty() || !RateLimitHeaders.validRetryAfter(value.get())) {
                    missing.add(a.seen().describe() + (value.isEmpty() ? " has no Retry-After"
                            : " has Retry-After " + Text.quote(value.get())));
                } else if (retryAfter == null) {
                    retryAfter = value.get().trim();
                }
                if (requestId == null) {
                    requestId = a.requestId();
                }
            } else {
                others.add(a.describe());
            }
        }
        if (requestId == null) {
            requestId = answers.stream().map(CallOutcome::requestId).filter(id -> id != null).findFirst().orElse(null);
        }
        return new Burst(answers.size(), accepted, throttled, quota, others, elapsedNanos, missing, retryAfter, requestId);
    }

    /** The verdict on a burst, against the plan. */
    static CheckResult judge(Burst b, Limits limits, long nanos) {
        double allowed = b.allowed(limits);
        double ratio = b.accepted() / allowed;
        String seconds = String.format(Locale.ROOT, "%.2f s", b.elapsedNanos() / 1e9);
        String observed = "accepted " + b.accepted() + " of " + b.offered() + " in " + seconds + "; "
                + limits.source() + " allows " + limits.burst() + " + " + Text.number(limits.rate()) + "/s x " + seconds
                + " = " + String.format(Locale.ROOT, "%.1f", allowed) + " (ratio " + String.format(Locale.ROOT, "%.2f", ratio)
                + "); " + b.throttled() + " x 429";
        String expected = "429 rate_limit_exceeded with Retry-After once the burst is spent, and about burst + rate x"
                + " time accepted (ratio " + MIN_RATIO + " to " + MAX_RATIO + ": AWS throttles best effort)";
        List<String> problems = new ArrayList<>();
        if (!b.others().isEmpty()) {
            problems.add(b.others().size() + " answers were neither 2xx nor 429, e.g. " + b.others().get(0));
        }
        if (b.quotaRefused() > 0) {
            problems.add(b.quotaRefused() + " answers were 429 insufficient_quota: the client's quota ran out");
        }
        if (b.throttled() == 0 && b.others().isEmpty() && b.quotaRefused() == 0) {
            problems.add("no 429 for " + b.offered() + " requests in " + seconds + ", where the plan allows "
                    + String.format(Locale.ROOT, "%.1f", allowed) + ": the throttle is not applied, or this machine"
                    + " could not send faster than the plan allows");
        }
        if (!b.missingRetryAfter().isEmpty()) {
            problems.add(b.missingRetryAfter().size() + " of " + b.throttled() + " throttled answers without a valid"
                    + " Retry-After, e.g. " + b.missingRetryAfter().get(0));
        }
        if (b.throttled() > 0 && (ratio < MIN_RATIO || ratio > MAX_RATIO)) {
            problems.add("accepted " + b.accepted() + ", far from the " + String.format(Locale.ROOT, "%.1f", allowed)
                    + " the plan allows");
        }
        if (!problems.isEmpty()) {
            return CheckResult.fail(Check.LIMITS_THROTTLE, nanos, Text.truncate(problems.get(0)), expected,
                    String.join("; ", problems) + " (" + observed + ")", b.requestId());
        }
        return CheckResult.pass(Check.LIMITS_THROTTLE, nanos, observed + " with Retry-After " + b.retryAfter(),
                b.requestId());
    }

    /**
     * Sends requests one at a time, waiting out each throttle, until the quota refuses one; at most
     * the quota plus the burst and a margin, since AWS counts quotas best effort.
     */
    CheckResult quota() {
        long started = session.time().nanoTime();
        int bound = limits.quota() + limits.burst() + 10;
        String expected = "429 insufficient_quota with Retry-After and x-should-retry: false after at most "
                + limits.quotaText() + " accepted (earlier use in this period counts too)";
        int accepted = 0;
        int waits = 0;
        while (accepted < bound && waits < 10 * bound) {
            CallOutcome<Integer> a = models(Check.LIMITS_QUOTA);
            if (a.ok()) {
                accepted++;
                continue;
            }
            if (a.error() != null && a.error().status() == 429 && !"insufficient_quota".equals(a.error().code())) {
                Duration wait = a.seen().header(Headers.RETRY_AFTER).flatMap(RateLimitHeaders::retryAfterSeconds)
                        .map(Duration::ofSeconds).filter(d -> d.compareTo(Session.MAX_WAIT) <= 0)
                        .orElse(Duration.ofSeconds(1));
                waits++;
                try {
                    session.time().sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return CheckResult.fail(Check.LIMITS_QUOTA, session.time().nanoTime() - started, "interrupted",
                            expected, "interrupted after " + accepted + " accepted", a.requestId());
                }
                continue;
            }
            long nanos = session.time().nanoTime() - started;
            if (a.error() == null || a.error().status() != 429) {
                return CheckResult.fail(Check.LIMITS_QUOTA, nanos, Text.truncate(a.describe()), expected,
                        "after " + accepted + " accepted: " + a.describe(), a.requestId());
            }
            List<String> problems = new ArrayList<>();
            Optional<String> retryAfter = a.seen().header(Headers.RETRY_AFTER);
            if (retryAfter.flatMap(RateLimitHeaders::retryAfterSeconds).filter(s -> s > 0).isEmpty()) {
                problems.add("Retry-After is " + retryAfter.map(Text::quote).orElse("missing")
                        + ", not a positive number of seconds");
            }
            Optional<String> shouldRetry = a.seen().header(Headers.X_SHOULD_RETRY);
            if (!shouldRetry.map(v -> v.trim().equalsIgnoreCase("false")).orElse(false)) {
                problems.add(Headers.X_SHOULD_RETRY + " is " + shouldRetry.map(Text::quote).orElse("missing")
                        + ", not false");
            }
            String observed = "insufficient_quota after " + accepted + " more accepted (" + limits.quotaText() + ")";
            if (!problems.isEmpty()) {
                return CheckResult.fail(Check.LIMITS_QUOTA, nanos, Text.truncate(problems.get(0)), expected,
                        observed + ": " + String.join("; ", problems), a.requestId());
            }
            return CheckResult.pass(Check.LIMITS_QUOTA, nanos, observed + ", Retry-After " + retryAfter.get().trim()
                    + ", " + Headers.X_SHOULD_RETRY + " false", a.requestId());
        }
        return CheckResult.fail(Check.LIMITS_QUOTA, session.time().nanoTime() - started, "the quota never ran out",
                expected, accepted + " accepted and " + waits + " throttled without an insufficient_quota answer", null);
    }
}
