package io.llmgateway.config;

import io.llmgateway.common.Text;
import io.llmgateway.contract.Route;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code customDomain}: a REGIONAL custom domain name for the stage. */
final class CustomDomainReader {

    static final String KEY = "customDomain";
    static final String DOMAIN_NAME = "domainName";
    static final String CERTIFICATE_ARN = "certificateArn";
    static final String BASE_PATH = "basePath";
    static final String HOSTED_ZONE_ID = "hostedZoneId";
    static final String DISABLE_EXECUTE_API_ENDPOINT = "disableExecuteApiEndpoint";
    private static final List<String> KEYS = List.of(DOMAIN_NAME, CERTIFICATE_ARN, BASE_PATH, HOSTED_ZONE_ID,
            DISABLE_EXECUTE_API_ENDPOINT);

    /** RFC 1035 labels, as DNS and ACM take them: letters, digits and inner hyphens, 1-63 each. */
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /**
     * An ACM certificate ARN: {@code arn:<partition>:acm:<region>:<account>:certificate/<id>} (AWS
     * Certificate Manager User Guide, "AWS Certificate Manager ARNs").
     */
    private static final Pattern CERTIFICATE = Pattern.compile(
            "arn:(aws[a-z-]*):acm:([a-z0-9-]+):(\\d{12}):certificate/([A-Za-z0-9-]+)");
    /**
     * A base path: segments of the characters API Gateway allows in one ({@code $-_.+!*'()}, letters and
     * digits), joined by {@code /} for a multi-level mapping (API Gateway developer guide, "Use API
     * mappings to connect API stages to a custom domain name for REST APIs").
     */
    private static final Pattern BASE_PATH_SEGMENT = Pattern.compile("[A-Za-z0-9$\\-_.+!*'()]+");
    /** A Route 53 hosted zone id, as {@code aws route53 list-hosted-zones} prints it after {@code /hostedzone/}. */
    private static final Pattern ZONE_ID = Pattern.compile("[A-Z0-9]{1,32}");

    private final TypedValues typed;
    private final LoadReport report;
    private final Optional<StackRegion> region;

    private CustomDomainReader(TypedValues typed, LoadReport report, Optional<StackRegion> region) {
        this.typed = typed;
        this.report = report;
        this.region = region;
    }

    /** @return the domain, or empty when the key is absent or has problems (reported) */
    static Optional<CustomDomain> read(Object node, Optional<StackRegion> region, TypedValues typed, LoadReport report) {
        return node == null ? Optional.empty() : new CustomDomainReader(typed, report, region).read(node);
    }

    private Optional<CustomDomain> read(Object node) {
        KeyPath path = KeyPath.of(KEY);
        Map<String, Object> map = typed.object(path, node, KEYS);
        if (map == null) {
            return Optional.empty();
        }
        int before = report.problems().size();
        String domainName = required(path, map, DOMAIN_NAME, "the host name clients use, e.g. llm.example.com");
        if (domainName != null) {
            domainName(path.child(DOMAIN_NAME), domainName);
        }
        String certificateArn = required(path, map, CERTIFICATE_ARN,
                "an ACM certificate for the domain in the stack's Region, arn:aws:acm:<region>:<account>:certificate/<id>");
        if (certificateArn != null) {
            certificate(path.child(CERTIFICATE_ARN), certificateArn);
        }
        String basePath = "";
        if (map.get(BASE_PATH) != null) {
            basePath = typed.string(path.child(BASE_PATH), map.get(BASE_PATH));
            if (basePath != null) {
                basePath(path.child(BASE_PATH), basePath);
            }
        }
        Optional<String> zone = Optional.empty();
        if (map.get(HOSTED_ZONE_ID) != null) {
            String id = typed.string(path.child(HOSTED_ZONE_ID), map.get(HOSTED_ZONE_ID));
            if (id != null) {
                hostedZone(path.child(HOSTED_ZONE_ID), id);
                zone = Optional.of(id);
            }
        }
        Boolean disable = false;
        if (map.get(DISABLE_EXECUTE_API_ENDPOINT) != null) {
            disable = typed.bool(path.child(DISABLE_EXECUTE_API_ENDPOINT), map.get(DISABLE_EXECUTE_API_ENDPOINT));
        }
        if (report.problems().size() > before || domainName == null || certificateArn == null || basePath == null
                || disable == null) {
            return Optional.empty();
        }
        return Optional.of(new CustomDomain(domainName, certificateArn, basePath, zone, disable));
    }

    private String required(KeyPath parent, Map<String, Object> map, String key, String what) {
        KeyPath path = parent.child(key);
        if (map.get(key) == null) {
            report.problem(path, "required: " + what);
            return null;
        }
        return typed.string(path, map.get(key));
    }

    private void domainName(KeyPath path, String name) {
        String shown = report.show(path, name);
        if (name.contains("://") || name.contains("/")) {
            report.problem(path, shown + " is not a host name: give the name alone, without scheme or path "
                    + "(e.g. llm.example.com)");
            return;
        }
        if (name.endsWith(".")) {
            report.problem(path, shown + " ends with a dot; API Gateway takes the name without it");
            return;
        }
        if (name.startsWith("*")) {
            report.problem(path, shown + " is a wildcard; the stack maps one host name, give that name");
            return;
        }
        if (!name.equals(name.toLowerCase(Locale.ROOT))) {
            report.problem(path, shown + " has upper-case letters; DNS names are case-insensitive and API Gateway "
                    + "keeps them in lower case: write " + report.show(path, name.toLowerCase(Locale.ROOT)));
            return;
        }
        String[] labels = name.split("\\.", -1);
        boolean wellFormed = name.length() <= 253 && labels.length >= 2
                && Arrays.stream(labels).allMatch(l -> LABEL.matcher(l).matches())
                && !labels[labels.length - 1].matches("[0-9]+");
        if (!wellFormed) {
            report.problem(path, shown + " is not a domain name: two or more labels separated by dots, each 1-63 "
                    + "letters, digits or inner hyphens, at most 253 characters in all, not an IP address "
                    + "(e.g. llm.example.com; an internationalised name in its xn-- form)");
            return;
        }
        if (name.endsWith(".amazonaws.com") || name.endsWith(".amazonaws.com.cn")) {
            report.problem(path, shown + " is an AWS endpoint name, not a domain of yours");
        }
    }

    /**
     * A REGIONAL custom domain takes its certificate from ACM in the API's own Region; ACM certificates
     * are Regional, and only edge-optimized names (not declared here) take one from us-east-1 (API
     * Gateway developer guide, "Get certificates ready in AWS Certificate Manager").
     */
    private void certificate(KeyPath path, String arn) {
        Matcher matcher = CERTIFICATE.matcher(arn);
        if (!matcher.matches()) {
            report.problem(path, report.show(path, arn) + " is not an ACM certificate ARN "
                    + "(arn:aws:acm:<region>:<account>:certificate/<id>; an IAM server certificate cannot be used)");
            return;
        }
        String certificateRegion = matcher.group(2);
        if (region.isEmpty()) {
            report.warn(path, "the stack's Region is not known here (no aws:region, AWS_REGION or AWS_DEFAULT_REGION), "
                    + "so whether the certificate is in it was not checked; a REGIONAL domain needs a certificate "
                    + "in the API's Region");
            return;
        }
        StackRegion stack = region.get();
        if (!certificateRegion.equals(stack.name())) {
            report.problem(path, "the certificate is in " + Text.quote(certificateRegion) + ", but the stack deploys "
                    + "to " + stack.name() + " (" + stack.source() + "): a REGIONAL custom domain needs an ACM "
                    + "certificate in the API's own Region. Request or import one for the domain in " + stack.name()
                    + " (aws acm request-certificate --region " + stack.name() + " ...) and use its ARN");
        }
    }

    /**
     * The base path cannot start with the first segment of a route. The client's URL is
     * {@code https://<domain>/<basePath>/<route path>}, so a base path {@code v1} gives
     * {@code https://<domain>/v1/v1/chat/completions}: the request works, but the domain's
     * {@code /v1/...} now means the base path, not the API's {@code /v1}. A client configured with
     * the conventional {@code https://<domain>/v1} gets 404s for {@code /v1/chat/completions}, and a
     * later mapping of the domain's root (another API, another stage) could never serve {@code /v1/...}:
     * API Gateway routes each request to the mapping whose base path is its longest prefix. Any other
     * base path is a prefix of no route and shadows nothing.
     */
    private void basePath(KeyPath path, String basePath) {
        String shown = report.show(path, basePath);
        if (basePath.isEmpty()) {
            return;
        }
        if (basePath.startsWith("/") || basePath.endsWith("/")) {
            report.problem(path, shown + " starts or ends with '/'; write the path without them (e.g. llm or team/llm)");
            return;
        }
        String[] segments = basePath.split("/", -1);
        if (!Arrays.stream(segments).allMatch(s -> BASE_PATH_SEGMENT.matcher(s).matches())) {
            report.problem(path, shown + " is not a base path: segments of letters, digits and $-_.+!*'() "
                    + "separated by '/'");
            return;
        }
        Set<String> routeRoots = new TreeSet<>();
        for (Route route : Route.values()) {
            routeRoots.add(route.path().substring(1).split("/")[0]);
        }
        if (routeRoots.contains(segments[0])) {
            report.problem(path, shown + " starts with '" + segments[0] + "', the first segment of the API's routes ("
                    + Route.summary() + "): clients would call https://<domain>/" + basePath + "/" + segments[0]
                    + "/..., and the domain's /" + segments[0] + "/... would mean the base path, not the API's. "
                    + "Use another base path (e.g. llm), or none to serve the API at the domain's root");
        }
    }

    private void hostedZone(KeyPath path, String id) {
        if (id.startsWith("/hostedzone/")) {
            report.problem(path, report.show(path, id) + " includes the '/hostedzone/' prefix; give the id alone"
                    + (report.isSecret(path) ? "" : " (" + Text.quote(id.substring("/hostedzone/".length())) + ")"));
            return;
        }
        if (!ZONE_ID.matcher(id).matches()) {
            report.problem(path, report.show(path, id) + " is not a Route 53 hosted zone id (upper-case letters and "
                    + "digits, e.g. Z0123456789ABCDEFGHIJ)");
        }
    }
}
