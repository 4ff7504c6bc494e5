package io.funcpipe.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Layers go one way: cli -> service -> adapters -> rag -> core; core and rag stay pure. The rules
 * are checked from a plain JUnit Jupiter test (Surefire did not run ArchUnit's own engine here).
 */
class LayerTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.funcpipe");
    }

    static Stream<ArchRule> rules() {
        return Stream.of(pureLayersDoNotUseVertx, pureLayersDoNoIo, coreIsTheBottom, ragDependsOnlyOnCore,
                adaptersDoNotReachUp, serviceDoesNotReachCli);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void ruleHolds(ArchRule rule) {
        rule.check(classes);
    }

    @Test
    @DisplayName("the rules see the project's classes (a rule over nothing would pass vacuously)")
    void importSeesEveryLayer() {
        assertThat(classes.containPackage("io.funcpipe.core")).isTrue();
        assertThat(classes.containPackage("io.funcpipe.rag")).isTrue();
        assertThat(classes.containPackage("io.funcpipe.adapters.embed")).isTrue();
        assertThat(classes.containPackage("io.funcpipe.cli")).isTrue();
    }

    static final ArchRule pureLayersDoNotUseVertx = noClasses()
            .that().resideInAnyPackage("io.funcpipe.core..", "io.funcpipe.rag..")
            .should().dependOnClassesThat().resideInAPackage("io.vertx..")
            .as("core and rag describe work; only the service shell talks to Vert.x");

    static final ArchRule pureLayersDoNoIo = noClasses()
            .that().resideInAnyPackage("io.funcpipe.core..", "io.funcpipe.rag..")
            .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio.file..", "java.net..")
            .as("core and rag do no I/O: files, sockets and URLs belong to adapters");

    static final ArchRule coreIsTheBottom = noClasses()
            .that().resideInAPackage("io.funcpipe.core..")
            .should().dependOnClassesThat().resideInAnyPackage("io.funcpipe.rag..", "io.funcpipe.adapters..",
                    "io.funcpipe.service..", "io.funcpipe.cli..")
            .as("core depends on nothing of this project above it");

    static final ArchRule ragDependsOnlyOnCore = noClasses()
            .that().resideInAPackage("io.funcpipe.rag..")
            .should().dependOnClassesThat().resideInAnyPackage("io.funcpipe.adapters..", "io.funcpipe.service..",
                    "io.funcpipe.cli..")
            .as("rag holds the domain and the pure pipeline description, bound to adapters only from outside");

    static final ArchRule adaptersDoNotReachUp = noClasses()
            .that().resideInAPackage("io.funcpipe.adapters..")
            .should().dependOnClassesThat().resideInAnyPackage("io.funcpipe.service..", "io.funcpipe.cli..")
            .allowEmptyShould(true)
            .as("adapters sit below the service shell and the command line");

    static final ArchRule serviceDoesNotReachCli = noClasses()
            .that().resideInAPackage("io.funcpipe.service..")
            .should().dependOnClassesThat().resideInAPackage("io.funcpipe.cli..")
            .allowEmptyShould(true)
            .as("the command line drives the service, never the other way");
}
