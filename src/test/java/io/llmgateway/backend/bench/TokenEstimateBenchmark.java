package io.llmgateway.backend.bench;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.llmgateway.backend.chat.ChatRequest;
import io.llmgateway.backend.chat.ChatTokenEstimate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How far {@link TokenEstimate} (UTF-8 bytes / 3 + 4 per message) is from real token counts, per kind
 * of text, against two published byte-pair tokenizers (OpenAI's cl100k_base and o200k_base, through
 * jtokkit): Bedrock's models keep their tokenizers to themselves, so these stand in for them. Each
 * sample is one user message of about 2,000 characters; "real" is the tokenizer's count of the text
 * plus 4 for the message's chat template, as the estimate assumes.
 *
 * <pre>
 * mvn -B -q test-compile exec:java -Dexec.classpathScope=test -DmainClass=io.llmgateway.backend.bench.TokenEstimateBenchmark
 * </pre>
 *
 * Texts: this repository's README and docs (technical English with Markdown) and Java sources (code), its
 * test events (JSON), real CJK, Cyrillic and Arabic words (the JDK's own locale names in those
 * languages), and adversarial text: random punctuation, random base64, random digits, emoji.
 */
public final class TokenEstimateBenchmark {

    static final int CHUNK = 2000;

    private TokenEstimateBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, List<String>> corpora = new LinkedHashMap<>();
        corpora.put("English (README.md, docs/)", chunks(Files.readString(Path.of("README.md")) + files(Path.of("docs"), ".md")));
        corpora.put("Java source", chunks(files(Path.of("src/main/java"), ".java")));
        corpora.put("JSON (test events)", chunks(files(Path.of("src/test/resources/events"), ".json")));
        corpora.put("Chinese (locale names)", chunks(localeNames(Locale.SIMPLIFIED_CHINESE, "、")));
        corpora.put("Japanese (locale names)", chunks(localeNames(Locale.JAPANESE, "、")));
        corpora.put("Korean (locale names)", chunks(localeNames(Locale.KOREAN, ", ")));
        corpora.put("Russian (locale names)", chunks(localeNames(Locale.forLanguageTag("ru"), ", ")));
        corpora.put("Arabic (locale names)", chunks(localeNames(Locale.forLanguageTag("ar"), "، ")));
        Random random = new Random(42);
        corpora.put("random punctuation", random(random, "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", 8));
        corpora.put("random base64", random(random,
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 8));
        corpora.put("random digits", random(random, "0123456789", 8));
        corpora.put("emoji", emoji(random, 8));

        Encoding cl100k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
        Encoding o200k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
        System.out.println("| text | samples | real / estimate, cl100k_base (mean, max) | o200k_base (mean, max) |");
        System.out.println("| --- | --- | --- | --- |");
        double worst = 0;
        for (Map.Entry<String, List<String>> corpus : corpora.entrySet()) {
            double[] a = ratios(corpus.getValue(), cl100k);
            double[] b = ratios(corpus.getValue(), o200k);
            worst = Math.max(worst, Math.max(a[1], b[1]));
            System.out.printf("| %s | %d | %.2f, %.2f | %.2f, %.2f |%n", corpus.getKey(), corpus.getValue().size(),
                    a[0], a[1], b[0], b[1]);
        }
        System.out.printf("Worst real / estimate: %.2f%n", worst);
    }

    /** Mean and max of real / estimate over the samples. */
    static double[] ratios(List<String> samples, Encoding encoding) {
        double sum = 0;
        double max = 0;
        for (String text : samples) {
            ChatRequest request = new ChatRequest("m", "m", List.of(),
                    List.of(new ChatRequest.Turn(ChatRequest.Role.USER, List.of(new ChatRequest.Text(text)))), 1, null, null, List.of(), false, false);
            double real = encoding.countTokens(text) + 4;
            double ratio = real / ChatTokenEstimate.of(request);
            sum += ratio;
            max = Math.max(max, ratio);
        }
        return new double[] {sum / samples.size(), max};
    }

    static List<String> chunks(String text) {
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i + CHUNK <= text.length(); i += CHUNK) {
            chunks.add(text.substring(i, i + CHUNK));
        }
        if (chunks.isEmpty()) {
            chunks.add(text);
        }
        return chunks;
    }

    static String files(Path root, String suffix) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            List<Path> files = paths.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
            StringBuilder text = new StringBuilder();
            for (Path file : files) {
                text.append(Files.readString(file, StandardCharsets.UTF_8)).append('\n');
            }
            return text.toString();
        }
    }

    static String localeNames(Locale in, String separator) {
        return Stream.of(Locale.getAvailableLocales())
                .map(l -> l.getDisplayName(in))
                .filter(name -> !name.isBlank())
                .distinct()
                .collect(Collectors.joining(separator));
    }

    static List<String> random(Random random, String alphabet, int samples) {
        List<String> out = new ArrayList<>();
        for (int s = 0; s < samples; s++) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < CHUNK; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            out.add(text.toString());
        }
        return out;
    }

    static List<String> emoji(Random random, int samples) {
        List<String> out = new ArrayList<>();
        for (int s = 0; s < samples; s++) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < CHUNK / 2; i++) {
                text.appendCodePoint(0x1F300 + random.nextInt(0x1F64F - 0x1F300));
            }
            out.add(text.toString());
        }
        return out;
    }
}
