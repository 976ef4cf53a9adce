package io.llmgateway.backend.internal;

import io.llmgateway.contract.OpenAiError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * What the client is told when the Bedrock call fails, and what the log keeps. The client never sees
 * an exception's class, a stack trace or, for a 5xx, AWS's message; the log line does.
 */
public final class BedrockErrors {

    /** How the SDK's message about an earlier, retried attempt begins (sdk-core, RetryableStageHelper). */
    private static final String EARLIER_ATTEMPT = "Request attempt ";
    /** The HTTP status an AWS error's message names: {@code (Service: BedrockRuntime, Status Code: 429, ...)}. */
    private static final Pattern ATTEMPT_STATUS = Pattern.compile("Status Code: (\\d{3})");
    /**
     * What the JDK says of a connection that never opened (ConnectException, a connect timeout), as an
     * earlier attempt's message repeats it: {@code Unable to execute HTTP request: Connection refused}.
     */
    private static final Pattern NEVER_SENT = Pattern.compile("(?i)connection refused|connect timed out");

    private BedrockErrors() {
    }

    /**
     * @param error    the client's error
     * @param upstream Bedrock's error code (e.g. {@code ThrottlingException}) or the exception's simple
     *                 class name, for the log
     * @param cause    for a 5xx, the real cause for the log (class and AWS's message); null otherwise
     */
    public record Failure(OpenAiError error, String upstream, String cause) {
    }

    public static Failure classify(Throwable thrown) {
        Throwable e = unwrap(thrown);
        String upstream = upstreamName(e);
        if (e instanceof ThrottlingException || e instanceof ServiceQuotaExceededException) {
            // Bedrock's quotas are tokens per minute, hence OpenAI's "tokens" type.
            return new Failure(OpenAiError.upstreamRateLimited(), upstream, null);
        }
        if (e instanceof ValidationException validation) {
            String message = awsMessage(validation);
            if (isMisconfiguration(message)) {
                return internal(upstream, e);
            }
            // The model refuses the request itself (context too long, a range the model can't take,
            // a conversation that starts with the assistant): the client can fix it.
            return new Failure(OpenAiError.invalidRequest(null, message), upstream, null);
        }
        if (e instanceof ModelTimeoutException || e instanceof ApiCallTimeoutException) {
            return new Failure(OpenAiError.timeout(), upstream, cause(e));
        }
        if (e instanceof ServiceUnavailableException || e instanceof ModelNotReadyException
                || e instanceof ModelErrorException) {
            return new Failure(OpenAiError.unavailable(), upstream, cause(e));
        }
        if (e instanceof AwsServiceException service) {
            if (service.statusCode() >= 500) {
                return new Failure(OpenAiError.unavailable(), upstream, cause(e));
            }
            // AccessDenied, ResourceNotFound (a model id that doesn't exist), and any other 4xx the
            // request itself could not cause: the deployment is wrong, not the client.
            return internal(upstream, e);
        }
        if (e instanceof SdkClientException && hasIoCause(e)) {
            // The network between the function and Bedrock failed; a retry may well succeed.
            return new Failure(OpenAiError.unavailable(), upstream, cause(e));
        }
        return internal(upstream, e);
    }

    /**
     * True when a failed call may have cost tokens, so its reservation must stay charged. Bedrock bills
     * every input token processed and every output token generated (Amazon Bedrock pricing, "On-Demand",
     * https://aws.amazon.com/bedrock/pricing/), and a call cannot be cancelled: one that reached a model
     * and got no answer (the deadline, a connection lost after the request was sent, a model timeout or
     * error, a 5xx after Bedrock accepted it) may be billed in full. Only what Bedrock answers before any
     * model runs is not (Bedrock API reference, "Converse", Errors): a request it refuses
     * (ValidationException 400, AccessDeniedException 403, ResourceNotFoundException 404,
     * ThrottlingException and ServiceQuotaExceededException, ModelNotReadyException 429), the service
     * unavailable (ServiceUnavailableException 503), or a connection that never opened. AWS documents what
     * each error means, not how each is billed: this reading is the gateway's assumption (docs/limits-and-budgets.md, "How a
     * call is counted").
     *
     * <p>The SDK retries once ({@code BedrockClientFactory}), and reports an earlier attempt only as a
     * suppressed exception whose message is {@code Request attempt N failure: ...} with the AWS error's
     * text, which names its HTTP status, or the I/O failure's; an earlier attempt that may have been
     * billed makes the whole call billable.
     */
    public static boolean mayHaveBeenBilled(Throwable thrown) {
        Throwable e = unwrap(thrown);
        if (attemptMayHaveBeenBilled(e)) {
            return true;
        }
        for (Throwable earlier : e.getSuppressed()) {
            String message = earlier.getMessage();
            if (message != null && message.startsWith(EARLIER_ATTEMPT)) {
                Matcher status = ATTEMPT_STATUS.matcher(message);
                boolean refused = status.find() ? refusedBeforeTheModel(Integer.parseInt(status.group(1)))
                        : NEVER_SENT.matcher(message).find();
                if (!refused) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean attemptMayHaveBeenBilled(Throwable e) {
        if (e instanceof ValidationException || e instanceof ThrottlingException
                || e instanceof ServiceQuotaExceededException || e instanceof AccessDeniedException
                || e instanceof ResourceNotFoundException || e instanceof ModelNotReadyException
                || e instanceof ServiceUnavailableException) {
            return false;
        }
        if (e instanceof ModelTimeoutException || e instanceof ModelErrorException
                || e instanceof InternalServerException || e instanceof ModelStreamErrorException) {
            return true;
        }
        if (e instanceof AwsServiceException service) {
            return !refusedBeforeTheModel(service.statusCode());
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException
                    || (t instanceof SocketTimeoutException && t.getMessage() != null
                    && NEVER_SENT.matcher(t.getMessage()).find())) {
                return false; // the request never left
            }
        }
        return true;
    }

    /**
     * An HTTP status Bedrock answers without running a model: a client error (but a model's timeout, 408,
     * and a model's own error, 424), or 503 service unavailable.
     */
    /**
     * The exception itself, not the {@link CompletionException} or {@link ExecutionException} an
     * asynchronous call (ConverseStream) wraps it in.
     */
    public static Throwable unwrap(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static boolean refusedBeforeTheModel(int status) {
        return (status >= 400 && status < 500 && status != 408 && status != 424) || status == 503;
    }

    /**
     * A ValidationException about the model id is the deployment's fault: an alias mapped to a model
     * that doesn't exist, or to a model that needs an inference profile for on-demand use.
     */
    private static boolean isMisconfiguration(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("model identifier") || m.contains("on-demand throughput")
                || m.contains("inference profile");
    }

    private static Failure internal(String upstream, Throwable e) {
        return new Failure(OpenAiError.internal(), upstream, cause(e));
    }

    private static String upstreamName(Throwable e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
                && service.awsErrorDetails().errorCode() != null) {
            return service.awsErrorDetails().errorCode();
        }
        return e.getClass().getSimpleName();
    }

    private static String awsMessage(AwsServiceException e) {
        AwsErrorDetails details = e.awsErrorDetails();
        String message = details == null ? null : details.errorMessage();
        return message == null || message.isBlank() ? "Bedrock rejected the request." : message;
    }

    /**
     * For the log: the class and, for AWS and SDK exceptions, their message. Those describe the call
     * (status, error code, request id, the endpoint), never the prompt. Other exceptions are logged by
     * class and the frame that threw, as their message might echo request content.
     */
    public static String cause(Throwable e) {
        if (e instanceof AwsServiceException service) {
            return e.getClass().getName() + ": " + awsMessage(service) + " (status " + service.statusCode()
                    + ", request id " + service.requestId() + ")";
        }
        if (e instanceof SdkClientException) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String message = e.getClass().getName() + ": " + e.getMessage();
            return root == e ? message : message + " (caused by " + root.getClass().getName() + ")";
        }
        StackTraceElement[] trace = e.getStackTrace();
        return e.getClass().getName() + (trace.length > 0 ? " at " + trace[0] : "");
    }

    private static boolean hasIoCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException) {
                return true;
            }
        }
        return false;
    }
}
