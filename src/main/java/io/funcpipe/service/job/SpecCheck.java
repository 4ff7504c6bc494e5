package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.Collectors;

/** The outcome of reading a job spec: a spec ready to run, or every problem found. */
public sealed interface SpecCheck permits SpecCheck.Valid, SpecCheck.Invalid {

    /** A spec that passed every check; its paths are resolved under the input roots. */
    record Valid(JobSpec spec) implements SpecCheck {
        public Valid {
            requireNonNull(spec, "spec");
        }
    }

    /** A spec with at least one problem; nothing of it runs. */
    record Invalid(List<SpecProblem> problems) implements SpecCheck {
        public Invalid {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("an invalid spec has at least one problem");
            }
        }

        /** Every problem, one per line after a heading: the text of a 400 reply. */
        public String message() {
            return problems.stream().map(p -> "- " + p.message())
                    .collect(Collectors.joining("\n", "invalid job spec (" + problems.size()
                            + (problems.size() == 1 ? " problem" : " problems") + "):\n", ""));
        }
    }
}
