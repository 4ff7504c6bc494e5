package io.funcpipe.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.funcpipe.adapters.source.SourceOptions;
import io.funcpipe.adapters.source.SourceSet;
import io.funcpipe.adapters.source.Sources;

/**
 * End-to-end check that a large JSONL file streams in bounded memory: writes a file of the given
 * size (if absent), reads it through {@link Sources#open}, and prints records, bytes, time and
 * the heap's peak use. Run with a small heap, e.g.
 * {@code java -Xmx256m -cp ... io.funcpipe.bench.BigJsonlStream /tmp/big.jsonl 1024} (size in MiB).
 */
public final class BigJsonlStream {

    private BigJsonlStream() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        long mib = Long.parseLong(args[1]);
        if (!Files.exists(file)) {
            write(file, mib << 20);
        }
        SourceSet source = Sources.open(List.of(file.toString()), SourceOptions.defaults(), null);
        AtomicLong ok = new AtomicLong();
        AtomicLong err = new AtomicLong();
        long start = System.nanoTime();
        source.docs().open().subscribe().asStream().forEach(r -> (r.isOk() ? ok : err).incrementAndGet());
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.printf("file %d MiB, max heap %d MiB: ok %d, err %d, bytes read %d of %d, %.1f s (%.0f MiB/s), "
                        + "heap peak (sum of pools) %d MiB, open handles after %d%n",
                Files.size(file) >> 20, Runtime.getRuntime().maxMemory() >> 20, ok.get(), err.get(),
                source.counters().bytesRead(), source.totalBytes(), seconds, (Files.size(file) >> 20) / seconds,
                peak >> 20, source.counters().openHandles());
    }

    private static void write(Path file, long bytes) throws IOException {
        String text = "Fellow citizens, the state of the union is strong. ".repeat(20);
        long written = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (long i = 0; written < bytes; i++) {
                String line = i % 1000 == 999 ? "{\"id\":\"" + i + "\",\"text\": broken\n"
                        : "{\"id\":\"" + i + "\",\"year\":" + (1790 + i % 230) + ",\"text\":\"" + text + "\"}\n";
                out.write(line);
                written += line.length();
            }
        }
    }
}
