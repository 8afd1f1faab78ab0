package dev.initlab;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The two rules of the house style worth enforcing: the numerical core is plain Java, and
 * the capability packages depend on each other one way only.
 */
@AnalyzeClasses(packages = "dev.initlab", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	/**
	 * Schemes, layers, generators, tensors, plots, training and propagation are usable
	 * and testable without Spring.
	 */
	@ArchTest
	static final ArchRule coreImportsNothingFromSpring = noClasses().that()
		.resideInAnyPackage("dev.initlab.layers..", "dev.initlab.init..", "dev.initlab.rng..", "dev.initlab.tensor..",
				"dev.initlab.plots..", "dev.initlab.training..", "dev.initlab.propagation..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("org.springframework..")
		.because("the numerical core is plain Java (see docs/ARCHITECTURE.md, Data flows one way)");

	/** Data flows one way: api -> generation -> layers/init/rng/tensor. */
	@ArchTest
	static final ArchRule noPackageCycles = slices().matching("dev.initlab.(*)..").should().beFreeOfCycles();

}
