package io.llmgateway.verify;

/**
 * {@code mvn -B -q compile exec:java@verify -Dverify.args="..."}: the deployment check (docs/deploy.md,
 * "Verify your deployment"). Exit code 0 when no check failed, 1 when one did, 2 when it could not run.
 */
public final class VerifyMain {

    private VerifyMain() {
    }

    public static void main(String[] args) {
        System.exit(VerifyCommand.run(args, VerifyCommand.Environment.system()));
    }
}
