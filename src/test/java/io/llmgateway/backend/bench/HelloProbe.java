package io.llmgateway.backend.bench;

/** The floor: a bare Java main that prints one line. */
public final class HelloProbe {

    private HelloProbe() {
    }

    public static void main(String[] args) {
        System.out.println("RESPONSE hello");
        System.out.println(ProbeMetrics.snapshot(0, 0));
    }
}
