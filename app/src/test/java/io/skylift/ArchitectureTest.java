package io.skylift;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.skylift", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** The engine is a library: no user interface, no command line, no sandbox, no server-side code. */
    @ArchTest
    static final ArchRule theEngineDependsOnNoUserInterfaceCommandLineSandboxOrBackend = noClasses()
            .that().resideInAPackage("io.skylift.engine..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "javafx..",
                    "io.skylift.cli..",
                    "io.skylift.ui..",
                    "io.skylift.sandbox..",
                    "io.skylift.backend..",
                    "io.skylift.locals3..",
                    "org.gaul..");

    /** Everything else uses the engine through its public package only. */
    @ArchTest
    static final ArchRule onlyTheEngineItselfUsesItsInternals = noClasses()
            .that().resideOutsideOfPackage("io.skylift.engine..")
            .should().dependOnClassesThat().resideInAPackage("io.skylift.engine.internal..");

    /**
     * The route is chosen once ({@code Route.open}): the façade, the flow queue and the event thread
     * reach a route's machinery only through the {@code Route} interface, so no route decision hides
     * anywhere else.
     */
    @ArchTest
    static final ArchRule onlyRoutesKnowTheirMachinery = noClasses()
            .that().resideInAnyPackage("io.skylift.engine", "io.skylift.engine.internal", "io.skylift.engine.internal.progress",
                    "io.skylift.engine.internal.schedule")
            .should().dependOnClassesThat().resideInAnyPackage("io.skylift.engine.internal.upload..",
                    "io.skylift.engine.internal.download..", "io.skylift.engine.internal.direct..");

    /** Names say what a class is, not that it is a bag of functions. */
    @ArchTest
    static final ArchRule noClassIsAManagerHelperOrUtil = noClasses()
            .should().haveSimpleNameEndingWith("Manager")
            .orShould().haveSimpleNameEndingWith("Helper")
            .orShould().haveSimpleNameEndingWith("Util")
            .orShould().haveSimpleNameEndingWith("Utils");
}
