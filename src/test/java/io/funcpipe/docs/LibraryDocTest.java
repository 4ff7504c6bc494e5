package io.funcpipe.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/library.md stays true: each {@code java} block is compiled against the project's classes,
 * its {@code main} is run, and what it prints must be the {@code text} block after "Output:".
 */
class LibraryDocTest {

    private static final Path DOC = Path.of("docs", "library.md");
    private static final Pattern EXAMPLE = Pattern.compile(
            "```java\\n(.*?)```\\s*\\nOutput:\\s*\\n\\s*```text\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS = Pattern.compile("public class (\\w+)");

    @TempDir
    Path tmp;

    record Example(String className, String source, String output) {
    }

    static List<Example> examples() throws Exception {
        String doc = Files.readString(DOC);
        List<Example> found = new ArrayList<>();
        Matcher m = EXAMPLE.matcher(doc);
        while (m.find()) {
            Matcher name = CLASS.matcher(m.group(1));
            assertThat(name.find()).as("a public class in\n" + m.group(1)).isTrue();
            found.add(new Example(name.group(1), m.group(1), m.group(2)));
        }
        return found;
    }

    @TestFactory
    Stream<DynamicTest> everyExampleCompilesRunsAndPrintsWhatTheDocShows() throws Exception {
        List<Example> examples = examples();
        assertThat(examples).as("the examples in " + DOC).extracting(Example::className)
                .contains("StreamsExample", "PipelineExample");
        return examples.stream().map(e -> DynamicTest.dynamicTest(e.className(), () -> run(e)));
    }

    private void run(Example example) throws Exception {
        Path src = Files.createDirectories(tmp.resolve(example.className()));
        Path file = src.resolve(example.className() + ".java");
        Files.writeString(file, example.source());
        Path classes = Files.createDirectories(src.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean compiled = javac.getTask(diagnostics, null, null,
                List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString(),
                        "--release", "21", "-proc:none"),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(file)).call();
        assertThat(compiled).as("javac:\n" + diagnostics).isTrue();

        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                LibraryDocTest.class.getClassLoader())) {
            Method main = loader.loadClass(example.className()).getMethod("main", String[].class);
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(oldOut);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(example.output());
    }
}
