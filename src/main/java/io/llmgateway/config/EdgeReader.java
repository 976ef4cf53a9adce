package io.llmgateway.config;

import io.llmgateway.common.Json;
import io.llmgateway.common.Text;
import io.llmgateway.contract.Cors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How clients reach the API ({@link Edge}): {@code customDomain} ({@link CustomDomainReader}),
 * {@code waf} ({@link FirewallReader}), {@code cors} and {@code privateApi}, each optional, then the
 * rules that tie them together.
 */
final class EdgeReader {

    static final String CORS = "cors";
    static final String ALLOWED_ORIGINS = "allowedOrigins";
    static final String PRIVATE_API = "privateApi";
    static final String VPC_ENDPOINT_IDS = "vpcEndpointIds";

    /** The top-level keys this reader owns, in the order they are read. */
    static final List<String> KEYS = List.of(CustomDomainReader.KEY, FirewallReader.KEY, CORS, PRIVATE_API);

    /**
     * The backend learns the origins from its Lambda environment, which holds 4 KB for all variables
     * together (Lambda developer guide, "Working with Lambda environment variables"); the models take
     * up to {@link ModelsReader#MAX_MODELS_JSON_BYTES}, and the origins this much of the rest.
     */
    static final int MAX_ORIGINS_JSON_BYTES = 512;

    /**
     * An origin as browsers send it (RFC 6454, section 6.1): scheme, host and a port only when it is
     * not the scheme's default, lower case, no path.
     */
    private static final Pattern ORIGIN = Pattern.compile("(https?)://([^/:?#\\[\\]]+|\\[[0-9a-fA-F:.]+])(?::(\\d{1,5}))?");
    private static final Pattern HOST_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /** An interface VPC endpoint id, old (8 hex digits) or new (17) form. */
    private static final Pattern VPC_ENDPOINT = Pattern.compile("vpce-([0-9a-f]{8}|[0-9a-f]{17})");

    private final TypedValues typed;
    private final LoadReport report;

    private EdgeReader(TypedValues typed, LoadReport report) {
        this.typed = typed;
        this.report = report;
    }

    /**
     * @param region the stack's Region, already checked; empty when unknown (the certificate's Region is
     *               then not checked)
     */
    static Edge read(Map<String, ?> values, Optional<StackRegion> region, TypedValues typed, LoadReport report) {
        return new EdgeReader(typed, report).read(values, region);
    }

    private Edge read(Map<String, ?> values, Optional<StackRegion> region) {
        Optional<CustomDomain> domain = CustomDomainReader.read(values.get(CustomDomainReader.KEY), region, typed, report);
        Optional<WebFirewall> firewall = FirewallReader.read(values.get(FirewallReader.KEY), typed, report);
        Cors cors = cors(values.get(CORS));
        Optional<PrivateApi> privateApi = privateApi(values.get(PRIVATE_API));
        if (values.get(CustomDomainReader.KEY) != null && values.get(PRIVATE_API) != null) {
            // A Regional custom domain name maps only Regional or edge-optimized APIs; a private API
            // takes a private custom domain name (a PRIVATE DomainName, its resource policy and a domain
            // name access association per VPC endpoint; API Gateway developer guide, "Custom domain names
            // for private APIs in API Gateway"), which this stack does not declare.
            report.problem(CustomDomainReader.KEY + ", " + PRIVATE_API, "a private API cannot have this custom domain: "
                    + "a REGIONAL domain name maps public (Regional) APIs only. Remove customDomain (clients in the "
                    + "VPC use the privateBaseUrls output or the VPC endpoint's private DNS), or remove privateApi");
            return Edge.NONE;
        }
        privateApi.ifPresent(this::explainPrivateAccess);
        return new Edge(domain, firewall, cors, privateApi);
    }

    private Cors cors(Object node) {
        if (node == null) {
            return Cors.NONE;
        }
        KeyPath path = KeyPath.of(CORS);
        Map<String, Object> map = typed.object(path, node, List.of(ALLOWED_ORIGINS));
        if (map == null) {
            return Cors.NONE;
        }
        KeyPath originsPath = path.child(ALLOWED_ORIGINS);
        if (map.get(ALLOWED_ORIGINS) == null) {
            report.problem(originsPath, "required: the browser origins that may call the API, e.g. "
                    + "[\"https://app.example.com\"]; remove cors to allow none");
            return Cors.NONE;
        }
        List<Object> items = typed.list(originsPath, map.get(ALLOWED_ORIGINS),
                "origins, e.g. [\"https://app.example.com\", \"http://localhost:3000\"]");
        if (items == null) {
            return Cors.NONE;
        }
        if (items.isEmpty()) {
            report.problem(originsPath, "is empty; list at least one origin, or remove cors to allow none");
            return Cors.NONE;
        }
        int before = report.problems().size();
        List<String> origins = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            KeyPath itemPath = originsPath.element(i);
            String origin = typed.string(itemPath, items.get(i));
            if (origin == null) {
                continue;
            }
            if (origins.contains(origin)) {
                report.problem(itemPath, report.show(itemPath, origin) + " is listed twice");
            } else if (origin.equals(Cors.ANY_ORIGIN)) {
                origins.add(origin);
            } else if (origin(itemPath, origin)) {
                origins.add(origin);
            }
        }
        if (origins.contains(Cors.ANY_ORIGIN)) {
            if (items.size() > 1) {
                report.problem(originsPath, "'*' allows every origin; list it alone, or list origins without it");
            } else {
                report.warn(originsPath, "'*' lets a page of any website call the API from its visitors' browsers. "
                        + "A key in a browser is visible to its user: give each user a key of their own on a small "
                        + "plan, and prefer listing your sites' origins");
            }
        }
        int size = Json.write(origins).getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_ORIGINS_JSON_BYTES) {
            report.problem(originsPath, "the origins take " + size + " bytes, above the " + MAX_ORIGINS_JSON_BYTES
                    + " bytes the backend's 4 KB Lambda environment leaves for them; list fewer");
        }
        return report.problems().size() > before ? Cors.NONE : new Cors(origins);
    }

    /** True when {@code origin} is one a browser can send; otherwise reports what to write instead. */
    private boolean origin(KeyPath path, String origin) {
        String shown = report.show(path, origin);
        Matcher matcher = ORIGIN.matcher(origin);
        if (!matcher.matches()) {
            String hint = origin.matches("https?://[^/]+/.*") && !report.isSecret(path)
                    ? "; without the path: " + Text.quote(origin.substring(0, origin.indexOf('/', origin.indexOf("//") + 2)))
                    : "";
            report.problem(path, shown + " is not an origin: scheme://host[:port], with http or https and no path, "
                    + "e.g. https://app.example.com or http://localhost:3000" + hint);
            return false;
        }
        if (!origin.equals(origin.toLowerCase(Locale.ROOT))) {
            report.problem(path, shown + " has upper-case letters, which browsers never send in an Origin; write "
                    + report.show(path, origin.toLowerCase(Locale.ROOT)));
            return false;
        }
        String scheme = matcher.group(1);
        String host = matcher.group(2);
        String port = matcher.group(3);
        if (!host.startsWith("[")) {
            String[] labels = host.split("\\.", -1);
            boolean valid = host.length() <= 253;
            for (String label : labels) {
                valid &= HOST_LABEL.matcher(label).matches();
            }
            if (!valid) {
                report.problem(path, shown + " does not have a valid host name (labels of letters, digits and inner "
                        + "hyphens; an internationalised name in its xn-- form, as browsers send it)");
                return false;
            }
        }
        if (port != null) {
            int number = Integer.parseInt(port);
            if (number < 1 || number > 65535) {
                report.problem(path, shown + " has a port outside 1-65535");
                return false;
            }
            if ((scheme.equals("https") && number == 443) || (scheme.equals("http") && number == 80)) {
                report.problem(path, shown + " names the scheme's default port, which browsers leave out of the "
                        + "Origin header, so it would never match; write " + report.show(path, scheme + "://" + host));
                return false;
            }
        }
        return true;
    }

    private Optional<PrivateApi> privateApi(Object node) {
        if (node == null) {
            return Optional.empty();
        }
        KeyPath path = KeyPath.of(PRIVATE_API);
        Map<String, Object> map = typed.object(path, node, List.of(VPC_ENDPOINT_IDS));
        if (map == null) {
            return Optional.empty();
        }
        KeyPath idsPath = path.child(VPC_ENDPOINT_IDS);
        if (map.get(VPC_ENDPOINT_IDS) == null) {
            report.problem(idsPath, "required: the interface VPC endpoints for execute-api that may reach the API, "
                    + "e.g. [\"vpce-0123456789abcdef0\"]");
            return Optional.empty();
        }
        List<Object> items = typed.list(idsPath, map.get(VPC_ENDPOINT_IDS), "VPC endpoint ids, e.g. [\"vpce-0123456789abcdef0\"]");
        if (items == null) {
            return Optional.empty();
        }
        if (items.isEmpty()) {
            report.problem(idsPath, "is empty; a private API needs at least one VPC endpoint");
            return Optional.empty();
        }
        int before = report.problems().size();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            KeyPath itemPath = idsPath.element(i);
            String id = typed.string(itemPath, items.get(i));
            if (id == null) {
                continue;
            }
            if (!VPC_ENDPOINT.matcher(id).matches()) {
                report.problem(itemPath, report.show(itemPath, id) + " is not a VPC endpoint id (vpce- and 17 hex "
                        + "digits, e.g. vpce-0123456789abcdef0; aws ec2 describe-vpc-endpoints lists them)");
            } else if (ids.contains(id)) {
                report.problem(itemPath, report.show(itemPath, id) + " is listed twice");
            } else {
                ids.add(id);
            }
        }
        return report.problems().size() > before ? Optional.empty() : Optional.of(new PrivateApi(ids));
    }

    /**
     * What clients of a private API need (API Gateway developer guide, "How to invoke a private API"),
     * as a warning on every deployment, because nothing outside those VPCs can call it any more.
     */
    private void explainPrivateAccess(PrivateApi api) {
        // Only a valid list gets here, and it keeps every item in order: id i is element i.
        KeyPath idsPath = KeyPath.of(PRIVATE_API).child(VPC_ENDPOINT_IDS);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < api.vpcEndpointIds().size(); i++) {
            ids.add(report.showChecked(api.vpcEndpointIds().get(i), idsPath.element(i)));
        }
        report.warn(KeyPath.of(PRIVATE_API), "the API is PRIVATE: only requests through " + String.join(", ", ids)
                + " reach it; every other caller gets 403. Clients in those VPCs use baseUrl "
                + "when the endpoint has private DNS enabled; otherwise the privateBaseUrls output "
                + "(https://<apiId>-<vpce id>.execute-api.<region>.amazonaws.com/<stage>/v1), or the endpoint's "
                + "own DNS name with the header x-apigw-api-id: <apiId>");
    }
}
