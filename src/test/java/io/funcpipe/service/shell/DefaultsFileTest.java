package io.funcpipe.service.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code conf/funcpipe.yaml} is the documented schema, shipped in the jar and described in the docs. */
class DefaultsFileTest {

    private static final Pattern KEY_LINE = Pattern.compile("^(\\s*)([A-Za-z][A-Za-z0-9]*):.*$");

    @Test
    @DisplayName("the classpath copy is identical to conf/funcpipe.yaml")
    void classpathCopyIsIdentical() throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(ServiceConfigLoader.DEFAULTS_RESOURCE)) {
            assertThat(in).as(ServiceConfigLoader.DEFAULTS_RESOURCE + " on the classpath").isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .as("src/main/resources/" + ServiceConfigLoader.DEFAULTS_RESOURCE + " must be a copy of conf/funcpipe.yaml")
                    .isEqualTo(DefaultsFile.text());
        }
    }

    @Test
    @DisplayName("every key and section has a comment on the line above")
    void everyKeyIsCommented() {
        List<String> lines = DefaultsFile.text().lines().toList();
        List<String> undocumented = new ArrayList<>();
        int keyLines = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = KEY_LINE.matcher(lines.get(i));
            if (m.matches()) {
                keyLines++;
                boolean commented = i > 0 && lines.get(i - 1).strip().startsWith("#");
                if (!commented) {
                    undocumented.add(m.group(2) + " (line " + (i + 1) + ")");
                }
            }
        }
        assertThat(keyLines).as("key lines found").isGreaterThanOrEqualTo(DefaultsFile.keys().size());
        assertThat(undocumented).as("keys without a comment above them").isEmpty();
    }

    @Test
    @DisplayName("docs/service-config.md lists every key with its environment variable and default")
    void docsListEveryKey() throws IOException {
        String docs = Files.readString(Path.of("docs", "service-config.md"));
        List<String> missing = new ArrayList<>();
        DefaultsFile.values().forEach((key, value) -> {
            String row = "| `" + key + "` | `" + ConfigKeys.envName(key) + "` | `" + ConfigValues.show(value) + "` |";
            if (!docs.contains(row)) {
                missing.add(row);
            }
        });
        assertThat(missing).as("rows missing from docs/service-config.md").isEmpty();
    }
}
