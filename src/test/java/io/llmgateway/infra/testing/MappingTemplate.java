package io.llmgateway.infra.testing;

import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.apache.velocity.runtime.RuntimeConstants;
import org.apache.velocity.runtime.log.NullLogChute;

/**
 * An API Gateway mapping template rendered as API Gateway renders it: with Velocity 1.7 (the VTL of
 * API Gateway's "Mapping template reference": {@code $input.params()} holds the request's
 * {@code header}, {@code path} and {@code querystring} maps, and {@code $context.responseOverride.header}
 * collects the response headers a template overrides).
 */
public final class MappingTemplate {

    /** What one rendering produced. */
    public record Rendered(String body, Map<String, String> overriddenHeaders) {
    }

    /** {@code $input} as far as these templates use it. */
    public static final class Input {
        private final Map<String, Map<String, String>> params;

        Input(Map<String, String> headers) {
            this.params = new LinkedHashMap<>();
            params.put("path", new LinkedHashMap<>());
            params.put("querystring", new LinkedHashMap<>());
            params.put("header", new LinkedHashMap<>(headers));
        }

        public Map<String, Map<String, String>> params() {
            return params;
        }
    }

    private MappingTemplate() {
    }

    /**
     * @param requestHeaders the request's headers as API Gateway passes them to a template: by the
     *                       name the client sent (no case folding)
     */
    public static Rendered render(String template, Map<String, String> requestHeaders) {
        VelocityEngine engine = new VelocityEngine();
        engine.setProperty(RuntimeConstants.RUNTIME_LOG_LOGSYSTEM_CLASS, NullLogChute.class.getName());
        engine.init();
        Map<String, Object> header = new TreeMap<>();
        Map<String, Object> override = new LinkedHashMap<>();
        override.put("header", header);
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("responseOverride", override);
        VelocityContext velocity = new VelocityContext();
        velocity.put("input", new Input(requestHeaders));
        velocity.put("context", context);
        StringWriter out = new StringWriter();
        if (!engine.evaluate(velocity, out, "mapping-template", template)) {
            throw new IllegalStateException("the template did not render");
        }
        Map<String, String> overridden = new TreeMap<>();
        header.forEach((name, value) -> overridden.put(name, String.valueOf(value)));
        return new Rendered(out.toString(), overridden);
    }
}
