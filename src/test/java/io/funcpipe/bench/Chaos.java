package io.funcpipe.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.funcpipe.service.FaultScenarios;
import io.funcpipe.service.FaultScenarios.Outcome;

/**
 * The faults of {@link FaultScenarios} against real service processes on 127.0.0.1, one after the
 * other, printing per fault the state the job ended in, the chunks a fault-free run indexed, the
 * chunks the faulted job's index holds, and the time to recover (from the fault until the job
 * committed a checkpoint past every record it had read before the fault; for the last parse node,
 * until the job had FAILED). {@code bench/chaos.sh [FILES]} runs it.
 */
public final class Chaos {

    private Chaos() {
    }

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        List<Outcome> outcomes = new ArrayList<>();
        for (String fault : List.of("supervisor-kill", "supervisor-term", "embed-kill", "parse-kill")) {
            Path dir = Files.createTempDirectory("funcpipe-chaos-");
            try (FaultScenarios faults = new FaultScenarios(dir, files)) {
                switch (fault) {
                    case "supervisor-kill" -> outcomes.addAll(faults.supervisorKilled());
                    case "supervisor-term" -> outcomes.add(faults.supervisorTerminated());
                    case "embed-kill" -> outcomes.add(faults.embedNodeKilled());
                    default -> outcomes.addAll(faults.parseNodeKilled());
                }
            } finally {
                try (var walk = Files.walk(dir)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            System.out.flush();
        }
        System.out.printf("%n%d files per job, hash embedder, embed calls rate-limited to 8/s, commit every 40 chunks%n", files);
        System.out.printf("%-48s %-10s %10s %10s %10s %12s%n", "fault", "state", "docs read", "expected", "indexed",
                "recovery s");
        for (Outcome o : outcomes) {
            long read = o.end().getJsonObject("report") == null ? -1 : o.end().getJsonObject("report").getLong("documentsRead");
            System.out.printf("%-48s %-10s %10d %10d %10d %12.1f%n", o.fault(), o.state(), read, o.expected(), o.indexed(),
                    o.recoverySeconds());
        }
    }
}
