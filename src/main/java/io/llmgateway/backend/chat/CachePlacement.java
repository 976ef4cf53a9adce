package io.llmgateway.backend.chat;

import io.llmgateway.backend.chat.ChatRequest.CachePoint;
import io.llmgateway.backend.chat.ChatRequest.CachePoint.Section;
import io.llmgateway.common.PromptCaching;
import io.llmgateway.common.TokenRates;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The prompt-cache points a request sends, fitted to Bedrock's rules for its model (Bedrock user guide,
 * "Prompt caching for faster model inference",
 * https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html), and what was dropped, for
 * the log. Never an error for the client: a marker Bedrock would refuse is dropped instead.
 * <ul>
 *   <li>A model that does not cache ({@link PromptCaching#of}) gets none: Bedrock answers a
 *       {@code cachePoint} to it with 403 AccessDeniedException.</li>
 *   <li>A tool's marker is dropped where the model takes no checkpoint in {@code tools} (Amazon Nova),
 *       and where the call offers no tools.</li>
 *   <li>The operator's automatic points ({@code models.<alias>.promptCache}) go after the last tool and
 *       after the last system prompt, each where the prefix it closes (tools, then system: Bedrock's
 *       order) reaches the model's minimum by the input estimate; a point on a shorter prefix would be
 *       accepted but cache nothing.</li>
 *   <li>At most {@value PromptCaching#MAX_CACHE_POINTS}: beyond them the <b>latest</b> are kept, in
 *       Bedrock's order (tools, system, messages). The latest point closes the longest prefix, and a
 *       conversation marked turn by turn reads the previous turn's prefix from its second-latest point;
 *       keeping the earliest would stop caching the conversation once it had four marks.</li>
 *   <li>{@code ttl: 1h} is kept where the model offers it, else lowered to the default 5 minutes; and
 *       since Bedrock refuses a longer TTL after a shorter one, a 1-hour point after a 5-minute one is
 *       lowered too.</li>
 * </ul>
 *
 * @param points       the points to send, in Bedrock's order
 * @param dropped      how many markers were not sent
 * @param droppedWhy   why, each reason once: {@code model_without_caching}, {@code tools_not_cacheable},
 *                     {@code over_4}
 * @param ttlLowered   how many 1-hour markers were sent with the 5-minute TTL
 * @param automatic    how many of the points the operator's setting placed
 */
public record CachePlacement(List<CachePoint> points, int dropped, List<String> droppedWhy, int ttlLowered,
                             int automatic) {

    public static final CachePlacement NONE = new CachePlacement(List.of(), 0, List.of(), 0, 0);

    private static final Comparator<CachePoint> BEDROCK_ORDER = Comparator
            .comparing(CachePoint::section).thenComparingInt(CachePoint::index).thenComparingInt(CachePoint::block);

    public CachePlacement {
        points = List.copyOf(points);
        droppedWhy = List.copyOf(droppedWhy);
    }

    /**
     * The operator's automatic points for a model alias ({@code models.<alias>.promptCache}).
     *
     * @param oneHour with the 1-hour TTL where the model offers it
     */
    public record Automatic(boolean oneHour) {
    }

    /**
     * The prefix, in estimated tokens, that closes after each section: what the automatic points weigh
     * against the model's minimum.
     *
     * @param tools        the tools' tokens
     * @param toolsAndSystem the tools' and the system prompts' tokens
     */
    record Prefix(long tools, long toolsAndSystem) {
    }

    /**
     * @param marks      the client's markers, as parsed
     * @param automatic  the operator's setting for the alias, or null for none
     * @param toolsSent  whether the call offers the client's tools (Converse's {@code toolConfig})
     * @param toolCount  how many tools the client sent
     * @param systemCount how many system prompts
     */
    static CachePlacement fit(String modelId, List<CachePoint> marks, Automatic automatic, boolean toolsSent,
                              int toolCount, int systemCount, Prefix prefix) {
        Optional<PromptCaching> caching = PromptCaching.of(modelId);
        TreeSet<String> why = new TreeSet<>();
        if (caching.isEmpty()) {
            return marks.isEmpty() ? NONE : new CachePlacement(List.of(), marks.size(),
                    List.of("model_without_caching"), 0, 0);
        }
        PromptCaching model = caching.get();
        Map<String, CachePoint> byPlace = new LinkedHashMap<>();
        int dropped = 0;
        for (CachePoint mark : marks) {
            if (mark.section() == Section.TOOLS && (!model.tools() || !toolsSent)) {
                dropped++;
                why.add("tools_not_cacheable");
                continue;
            }
            // Two markers on one place are one checkpoint, with the longer TTL.
            byPlace.merge(place(mark), mark, (a, b) -> a.oneHour() ? a : b);
        }
        dropped += marks.size() - dropped - byPlace.size();
        Set<String> automaticPlaces = new HashSet<>();
        if (automatic != null) {
            if (model.tools() && toolsSent && toolCount > 0 && prefix.tools() >= model.minTokens()) {
                add(byPlace, automaticPlaces, new CachePoint(Section.TOOLS, toolCount - 1, 0, automatic.oneHour()));
            }
            if (systemCount > 0 && prefix.toolsAndSystem() >= model.minTokens()) {
                add(byPlace, automaticPlaces, new CachePoint(Section.SYSTEM, systemCount - 1, 0, automatic.oneHour()));
            }
        }
        List<CachePoint> points = new ArrayList<>(byPlace.values());
        points.sort(BEDROCK_ORDER);
        if (points.size() > PromptCaching.MAX_CACHE_POINTS) {
            int over = points.size() - PromptCaching.MAX_CACHE_POINTS;
            // Automatic points the client's markers crowd out were never asked for: not counted as dropped.
            dropped += (int) points.subList(0, over).stream().filter(p -> !automaticPlaces.contains(place(p))).count();
            why.add("over_" + PromptCaching.MAX_CACHE_POINTS);
            points = new ArrayList<>(points.subList(over, points.size()));
        }
        int lowered = 0;
        boolean shortSeen = false;
        for (int i = 0; i < points.size(); i++) {
            CachePoint point = points.get(i);
            if (point.oneHour() && (!model.oneHour() || shortSeen)) {
                points.set(i, new CachePoint(point.section(), point.index(), point.block(), false));
                lowered++;
            }
            shortSeen |= !points.get(i).oneHour();
        }
        int automaticPoints = (int) points.stream().filter(p -> automaticPlaces.contains(place(p))).count();
        if (dropped == 0) {
            why.clear();
        }
        return new CachePlacement(points, dropped, List.copyOf(why), lowered, automaticPoints);
    }

    /** An automatic point, where no marker is already. */
    private static void add(Map<String, CachePoint> byPlace, Set<String> automaticPlaces, CachePoint point) {
        if (byPlace.putIfAbsent(place(point), point) == null) {
            automaticPlaces.add(place(point));
        }
    }

    private static String place(CachePoint point) {
        return point.section() + "/" + point.index() + "/" + point.block();
    }

    /** Which cache writes the call may make, for its reservation. */
    public TokenRates.CacheWrites writes() {
        if (points.isEmpty()) {
            return TokenRates.CacheWrites.NONE;
        }
        return points.stream().anyMatch(CachePoint::oneHour) ? TokenRates.CacheWrites.LONG : TokenRates.CacheWrites.SHORT;
    }

    /** The point after this place, or null. */
    CachePoint at(Section section, int index, int block) {
        for (CachePoint p : points) {
            if (p.section() == section && p.index() == index && p.block() == block) {
                return p;
            }
        }
        return null;
    }

    /** Fields for the request's log line: counts and reasons, never the prompt. */
    public Map<String, Object> logFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (!points.isEmpty()) {
            fields.put("cachePoints", points.size());
        }
        if (automatic > 0) {
            fields.put("cachePointsAutomatic", automatic);
        }
        if (dropped > 0) {
            fields.put("cachePointsDropped", dropped);
            fields.put("cachePointsDroppedWhy", String.join(",", droppedWhy));
        }
        if (ttlLowered > 0) {
            fields.put("cacheTtlLowered", ttlLowered);
        }
        return fields;
    }
}
