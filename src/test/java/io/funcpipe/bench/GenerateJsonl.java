package io.funcpipe.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes a JSONL file of about SIZE_MB megabytes for the memory benchmark: one document per line,
 * {"id", "text", "source"}, with the texts of the files in a sample folder repeated under new ids.
 * Usage: {@code GenerateJsonl OUT SIZE_MB SAMPLE_DIR}.
 */
public final class GenerateJsonl {

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: GenerateJsonl OUT SIZE_MB SAMPLE_DIR");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        long target = Long.parseLong(args[1]) << 20;
        List<String> texts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(args[2]))) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                texts.add(Files.readString(file));
                names.add(file.getFileName().toString());
            }
        }
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("no files in " + args[2]);
        }
        ObjectMapper json = new ObjectMapper();
        long written = 0;
        long lines = 0;
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            while (written < target) {
                int i = (int) (lines % texts.size());
                String line = json.writeValueAsString(java.util.Map.of("id", "doc-" + lines, "text", texts.get(i),
                        "source", names.get(i))) + "\n";
                w.write(line);
                written += line.getBytes(StandardCharsets.UTF_8).length;
                lines++;
            }
        }
        System.out.printf("wrote %d lines, %.1f MB to %s%n", lines, written / 1e6, out);
    }
}
