package io.llmgateway.verify;

import static io.llmgateway.verify.Checker.expect;

import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.llmgateway.common.Text;
import java.util.ArrayList;
import java.util.List;

/** {@code POST /embeddings}: one input, one finite vector, and its usage. */
final class EmbeddingCheck {

    static final String EMBEDDING_INPUT = "llm-gateway verify";

    private final Checker checker;

    EmbeddingCheck(Checker checker) {
        this.checker = checker;
    }

    private record EmbeddingInfo(int data, long index, int dimensions, boolean finite, long tokens) {
        static EmbeddingInfo of(CreateEmbeddingResponse r) {
            if (r.data().isEmpty()) {
                return new EmbeddingInfo(0, -1, 0, true, r.usage().totalTokens());
            }
            List<Float> vector = r.data().get(0).embedding();
            boolean finite = vector.stream().allMatch(f -> f != null && Float.isFinite(f));
            return new EmbeddingInfo(r.data().size(), r.data().get(0).index(), vector.size(), finite,
                    r.usage().totalTokens());
        }
    }

    /** @param listed the ids models.list gave, to pick an embedding model from when none is named */
    CheckResult embeddings(List<String> listed) {
        String model = checker.settings().embeddingModel() != null ? checker.settings().embeddingModel()
                : listed.stream().filter(Conformance::isEmbeddingModel).findFirst().orElse(null);
        if (model == null) {
            return CheckResult.skip(Check.EMBEDDINGS, "no embedding model listed by models.list"
                    + " (pass --embedding-model NAME to check one)");
        }
        long started = checker.start();
        // The Java SDK asks for encoding_format base64 unless told otherwise, and decodes it.
        EmbeddingCreateParams params = EmbeddingCreateParams.builder().model(model).input(EMBEDDING_INPUT).build();
        CallOutcome<EmbeddingInfo> a = checker.session().send(Check.EMBEDDINGS, Session.route("POST", "/embeddings"),
                () -> checker.client().embeddings().withRawResponse().create(params), EmbeddingInfo::of);
        String expected = "200 with one embedding (index 0, a non-empty vector of finite numbers) and usage, for "
                + Text.quote(model);
        if (!a.ok()) {
            return checker.failed(Check.EMBEDDINGS, started, expected, a);
        }
        EmbeddingInfo e = a.value();
        checker.session().spent(e.tokens());
        List<String> problems = new ArrayList<>();
        expect(problems, e.data() == 1, e.data() + " embeddings for one input");
        if (e.data() >= 1) {
            expect(problems, e.index() == 0, "data[0].index is " + e.index());
            expect(problems, e.dimensions() > 0, "data[0].embedding is empty");
            expect(problems, e.finite(), "data[0].embedding holds a value that is not a finite number");
        }
        if (!problems.isEmpty()) {
            return checker.wrong(Check.EMBEDDINGS, started, expected, problems, a);
        }
        return checker.pass(Check.EMBEDDINGS, started, model + ": " + e.dimensions() + " dimensions (base64), "
                + e.tokens() + " tokens", a);
    }
}
