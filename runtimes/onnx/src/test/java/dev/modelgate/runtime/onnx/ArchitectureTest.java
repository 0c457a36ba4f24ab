package dev.modelgate.runtime.onnx;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** A runtime is the api plus its engine: no server, no Netty, no metrics library. */
class ArchitectureTest {
    private static final JavaClasses RUNTIME = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.modelgate.runtime.onnx");

    @Test
    void onlyTheApiAndOnnxRuntime() {
        classes().that().resideInAPackage("dev.modelgate.runtime.onnx..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..",
                        "dev.modelgate.api..", "dev.modelgate.runtime.onnx..", "ai.onnxruntime..")
                .because("the server finds runtimes by ServiceLoader; a runtime knows only the SPI")
                .check(RUNTIME);
    }
}
