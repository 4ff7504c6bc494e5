package io.funcpipe.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.funcpipe.rag.Tokenizer;

/**
 * Benchmark input: the first files of a directory (by name), cut at word boundaries into pieces of
 * {@code min..max} tokens (special tokens included) as counted by the given tokenizer. Pieces
 * shorter than {@code min} (file ends) are dropped. BERT-style counts add up over whitespace-separated
 * words (each word is tokenized on its own), so per-word counts give each piece's exact length.
 */
record BenchTexts(List<String> pieces, int files) {

    static BenchTexts cut(Path dir, int maxFiles, Tokenizer tokenizer, int min, int max) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(Files::isRegularFile).sorted().limit(maxFiles).toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no files in " + dir + ": pass a directory of text files");
        }
        Map<String, Integer> wordTokens = new HashMap<>();
        List<String> pieces = new ArrayList<>();
        for (Path file : files) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            StringBuilder piece = new StringBuilder();
            int tokens = 2;
            for (String word : text.split("\\s+")) {
                if (word.isEmpty()) {
                    continue;
                }
                int wordCount = wordTokens.computeIfAbsent(word, w -> tokenizer.countTokens(w) - 2);
                if (tokens + wordCount > max && tokens > 2) {
                    if (tokens >= min) {
                        pieces.add(piece.toString());
                    }
                    piece.setLength(0);
                    tokens = 2;
                }
                if (!piece.isEmpty()) {
                    piece.append(' ');
                }
                piece.append(word);
                tokens += wordCount;
            }
            if (tokens >= min && tokens <= max) {
                pieces.add(piece.toString());
            }
        }
        return new BenchTexts(List.copyOf(pieces), files.size());
    }
}
