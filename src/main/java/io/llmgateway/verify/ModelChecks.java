package io.llmgateway.verify;

import static io.llmgateway.verify.Checker.quoted;

import com.openai.models.models.Model;
import io.llmgateway.common.Text;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /models} and {@code GET /models/{model}}: the list a client picks from, and one model of it. */
final class ModelChecks {

    private final Checker checker;

    ModelChecks(Checker checker) {
        this.checker = checker;
    }

    private record ModelInfo(String id, String object) {
        static ModelInfo of(Model m) {
            return new ModelInfo(m.id(), Replies.text(m._object_()));
        }
    }

    /** @return the result, and the ids listed go to {@code listed} */
    CheckResult modelsList(List<String> listed) {
        long started = checker.start();
        CallOutcome<List<ModelInfo>> a = checker.session().send(Check.MODELS_LIST, Session.route("GET", "/models"),
                () -> checker.client().models().withRawResponse().list(),
                page -> page.data().stream().map(ModelInfo::of).toList());
        String expected = "200 with a list of model objects, at least one";
        if (!a.ok()) {
            return checker.failed(Check.MODELS_LIST, started, expected, a);
        }
        List<String> problems = new ArrayList<>();
        if (a.value().isEmpty()) {
            problems.add("the list is empty");
        }
        a.value().stream().filter(m -> !"model".equals(m.object()))
                .forEach(m -> problems.add(quoted(m.id()) + " has object " + quoted(m.object()) + ", not 'model'"));
        listed.addAll(a.value().stream().map(ModelInfo::id).toList());
        if (!problems.isEmpty()) {
            return checker.wrong(Check.MODELS_LIST, started, expected, problems, a);
        }
        return checker.pass(Check.MODELS_LIST, started, listed.size() + (listed.size() == 1 ? " model: " : " models: ")
                + Text.truncate(String.join(", ", listed)), a);
    }

    CheckResult modelsRetrieve(String model) {
        long started = checker.start();
        CallOutcome<ModelInfo> a = checker.session().send(Check.MODELS_RETRIEVE,
                Session.route("GET", "/models/" + model),
                () -> checker.client().models().withRawResponse().retrieve(model), ModelInfo::of);
        String expected = "200 with the model object of " + Text.quote(model);
        if (!a.ok()) {
            return checker.failed(Check.MODELS_RETRIEVE, started, expected, a);
        }
        List<String> problems = new ArrayList<>();
        if (!model.equals(a.value().id())) {
            problems.add("id is " + quoted(a.value().id()));
        }
        if (!"model".equals(a.value().object())) {
            problems.add("object is " + quoted(a.value().object()) + ", not 'model'");
        }
        if (!problems.isEmpty()) {
            return checker.wrong(Check.MODELS_RETRIEVE, started, expected, problems, a);
        }
        return checker.pass(Check.MODELS_RETRIEVE, started, "id " + model, a);
    }
}
