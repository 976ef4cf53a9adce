package io.llmgateway.infra;

import com.pulumi.aws.apigateway.Integration;
import com.pulumi.aws.apigateway.IntegrationArgs;
import com.pulumi.aws.apigateway.IntegrationResponse;
import com.pulumi.aws.apigateway.IntegrationResponseArgs;
import com.pulumi.aws.apigateway.Method;
import com.pulumi.aws.apigateway.MethodArgs;
import com.pulumi.aws.apigateway.MethodResponse;
import com.pulumi.aws.apigateway.MethodResponseArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.llmgateway.contract.Headers;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A method API Gateway answers itself: no authorizer, no key, no Lambda, answered by a MOCK
 * integration (the CORS preflight, the health check). The method response declares the headers the
 * integration response sets; a response template gives the body.
 *
 * <p>Children: {@code <name>}, {@code <name>-integration}, {@code <name>-response},
 * {@code <name>-integration-response}.
 */
final class MockMethod {

    static final String MOCK = "MOCK";
    static final String STATUS = "200";
    /** A MOCK integration answers with the status its request template names. */
    static final String REQUEST_TEMPLATE = "{\"statusCode\": " + STATUS + "}";
    /** The console's default: the JSON template above serves requests of any content type. */
    static final String PASSTHROUGH = "WHEN_NO_MATCH";

    private MockMethod() {
    }

    /**
     * @param parameters       the integration response's header values ({@code method.response.header.X}
     *                         to a static value in single quotes)
     * @param declaredHeaders  the headers the method response declares (a superset of {@code parameters})
     * @param responseTemplate the body's template for {@code application/json}, or empty for none
     * @return what the Deployment must wait for
     */
    static List<Resource> declare(String name, Output<String> restApiId, Output<String> resourceId, String httpMethod,
                                  Map<String, String> parameters, Iterable<String> declaredHeaders, String responseTemplate,
                                  CustomResourceOptions child, Function<List<Resource>, CustomResourceOptions> childAfter) {
        Method method = new Method(name, MethodArgs.builder()
                .restApi(restApiId)
                .resourceId(resourceId)
                .httpMethod(httpMethod)
                .authorization("NONE")
                .apiKeyRequired(false)
                .build(), child);
        Integration integration = new Integration(Names.child(name, "integration"), IntegrationArgs.builder()
                .restApi(restApiId)
                .resourceId(resourceId)
                .httpMethod(method.httpMethod())
                .type(MOCK)
                .passthroughBehavior(PASSTHROUGH)
                .requestTemplates(Map.of(Headers.JSON, REQUEST_TEMPLATE))
                .build(), child);
        Map<String, Boolean> declared = new TreeMap<>();
        declaredHeaders.forEach(header -> declared.put(header, false));
        MethodResponseArgs.Builder methodResponseArgs = MethodResponseArgs.builder()
                .restApi(restApiId)
                .resourceId(resourceId)
                .httpMethod(method.httpMethod())
                .statusCode(STATUS);
        if (!declared.isEmpty()) {
            methodResponseArgs.responseParameters(declared);
        }
        MethodResponse methodResponse = new MethodResponse(Names.child(name, "response"), methodResponseArgs.build(), child);
        IntegrationResponseArgs.Builder response = IntegrationResponseArgs.builder()
                .restApi(restApiId)
                .resourceId(resourceId)
                .httpMethod(method.httpMethod())
                .statusCode(methodResponse.statusCode());
        if (!parameters.isEmpty()) {
            response.responseParameters(parameters);
        }
        if (!responseTemplate.isEmpty()) {
            response.responseTemplates(Map.of(Headers.JSON, responseTemplate));
        }
        // The provider creates it only after the integration and the method response exist.
        IntegrationResponse integrationResponse = new IntegrationResponse(Names.child(name, "integration-response"),
                response.build(), childAfter.apply(List.of(integration, methodResponse)));
        return List.of(method, integration, methodResponse, integrationResponse);
    }
}
