package io.funcpipe.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Layers go one way: cli -> service -> adapters -> rag -> core; core and rag stay pure. */
@AnalyzeClasses(packages = "io.funcpipe", importOptions = ImportOption.DoNotIncludeTests.class)
class LayerTest {

    @ArchTest
    static final ArchRule pureLayersDoNotUseVertx = noClasses()
            .that().resideInAnyPackage("io.funcpipe.core..", "io.funcpipe.rag..")
            .should().dependOnClassesThat().resideInAPackage("io.vertx..")
            .as("core and rag describe work; only the service shell talks to Vert.x");

    @ArchTest
    static final ArchRule pureLayersDoNoIo = noClasses()
            .that().resideInAnyPackage("io.funcpipe.core..", "io.funcpipe.rag..")
            .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio.file..", "java.net..")
            .as("core and rag do no I/O: files, sockets and URLs belong to adapters");

    @ArchTest
    static final ArchRule coreIsTheBottom = noClasses()
            .that().resideInAPackage("io.funcpipe.core..")
            .should().dependOnClassesThat().resideInAnyPackage("io.funcpipe.rag..", "io.funcpipe.adapters..",
                    "io.funcpipe.service..", "io.funcpipe.cli..")
            .as("core depends on nothing of this project above it");

    @ArchTest
    static final ArchRule ragDependsOnlyOnCore = noClasses()
            .that().resideInAPackage("io.funcpipe.rag..")
            .should().dependOnClassesThat().resideInAnyPackage("io.funcpipe.adapters..", "io.funcpipe.service..",
                    "io.funcpipe.cli..")
            .as("rag holds the domain and the pure pipeline description, bound to adapters only from outside");

    @ArchTest
    static final ArchRule adaptersDoNotReachUp = noClasses()
            .that().resideInAPackage("io.funcpipe.adapters..")
            .should().dependOnClassesThat().resideInAnyPackage("io.funcpipe.service..", "io.funcpipe.cli..")
            .allowEmptyShould(true)
            .as("adapters sit below the service shell and the command line");

    @ArchTest
    static final ArchRule serviceDoesNotReachCli = noClasses()
            .that().resideInAPackage("io.funcpipe.service..")
            .should().dependOnClassesThat().resideInAPackage("io.funcpipe.cli..")
            .allowEmptyShould(true)
            .as("the command line drives the service, never the other way");
}
