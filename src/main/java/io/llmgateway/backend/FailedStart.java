package io.llmgateway.backend;

import io.llmgateway.backend.internal.Exchange;
import io.llmgateway.backend.internal.ProxyRequest;
import io.llmgateway.backend.internal.Reply;
import io.llmgateway.backend.internal.RequestLog;
import io.llmgateway.contract.Cors;
import io.llmgateway.contract.OpenAiError;
import java.time.Clock;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What answers when the function's configuration could not be read at init: every request gets a
 * generic 500 in OpenAI's shape, and the log line of each says why, rather than failing the init and
 * leaving API Gateway to send its own bare error. Nothing of the configuration is known, so no route,
 * no CORS origin and no model alias either.
 */
final class FailedStart implements Exchange.Responder {

    private final String cause;

    private FailedStart(String cause) {
        this.cause = cause;
    }

    /** @param cause the init failure, for the log: never sent to the client */
    static Exchange exchange(String cause, Consumer<String> log) {
        return new Exchange(Cors.NONE, Set.of(), Clock.systemUTC(), log, new FailedStart(cause));
    }

    @Override
    public Reply respond(ProxyRequest request, RequestLog line) {
        line.put("cause", cause);
        return Reply.error(OpenAiError.internal());
    }
}
