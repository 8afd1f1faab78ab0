package dev.initlab;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import dev.initlab.layers.LayerSpec;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.lang.conditions.ArchPredicates.are;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layout of the house style, checked rather than hoped for. Data flows one way:
 *
 * <pre>
 * api -> jobs -> experiments -> checkpoints -> generation -> core (layers, init, rng, tensor, training, propagation, plots)
 *   (every layer may use the cross-cutting packages: problems, observability, admission, access)
 * </pre>
 */
@AnalyzeClasses(packages = "dev.initlab", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	/** The numerical core: plain Java, usable and testable without a server. */
	static final String[] CORE = { "dev.initlab.models..", "dev.initlab.layers..", "dev.initlab.init..",
			"dev.initlab.rng..", "dev.initlab.tensor..", "dev.initlab.training..", "dev.initlab.propagation..",
			"dev.initlab.plots..", "dev.initlab.recipes.." };

	/** Used by every layer; they know nothing of what the service computes. */
	static final String[] CROSS_CUTTING = { "dev.initlab.problems..", "dev.initlab.observability..",
			"dev.initlab.admission..", "dev.initlab.access.." };

	/**
	 * The capabilities built on the core, top to bottom: api, jobs, experiments,
	 * checkpoints, generation.
	 */
	static final String[] FEATURES = { "dev.initlab.api..", "dev.initlab.jobs..", "dev.initlab.experiments..",
			"dev.initlab.checkpoints..", "dev.initlab.generation.." };

	@ArchTest
	static final ArchRule coreImportsNothingFromSpringOrServlets = noClasses().that()
		.resideInAnyPackage(CORE)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("org.springframework..", "jakarta.servlet..")
		.because("the numerical core is plain Java: usable and testable without a server (docs/ARCHITECTURE.md)");

	@ArchTest
	static final ArchRule coreCarriesNoWireAnnotationsButTheLayerRecords = noClasses().that()
		.resideInAnyPackage(CORE)
		.and(are(assignableTo(LayerSpec.class)).negate())
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("io.swagger..", "jakarta.validation..")
		.because("request records and their Swagger and validation annotations live with the feature that "
				+ "reads them; the one exception is the LayerSpec records, which are the wire shape of "
				+ "\"layers\" and validate themselves where each layer's parameters are defined");

	@ArchTest
	static final ArchRule coreDependsOnNoFeatureAndNoCrossCuttingPackage = noClasses().that()
		.resideInAnyPackage(CORE)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(concat(FEATURES, CROSS_CUTTING))
		.because("the core is what the features are built on, and it reports its own errors "
				+ "(InvalidLayerException, InvalidInitializerException) without web types");

	@ArchTest
	static final ArchRule crossCuttingDependsOnNoFeatureAndNoCore = noClasses().that()
		.resideInAnyPackage(CROSS_CUTTING)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(concat(FEATURES, CORE))
		.because("problem types, request ids, admission and access serve every feature, so they cannot "
				+ "depend on one");

	@ArchTest
	static final ArchRule generationDependsOnNoTrainingAndNothingAboveIt = noClasses().that()
		.resideInAnyPackage("dev.initlab.generation..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("dev.initlab.training..", "dev.initlab.propagation..", "dev.initlab.plots..",
				"dev.initlab.experiments..", "dev.initlab.jobs..", "dev.initlab.api..", "dev.initlab.checkpoints..")
		.because("generation turns a Blueprint into tensors; training, symmetry checks and the runners are "
				+ "built on it, never the other way round");

	@ArchTest
	static final ArchRule experimentsDependOnNoJobsAndNoApi = noClasses().that()
		.resideInAnyPackage("dev.initlab.experiments..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("dev.initlab.jobs..", "dev.initlab.api..")
		.because("the runners prepare and run experiments; queueing them is jobs' business, HTTP is api's");

	@ArchTest
	static final ArchRule jobsDependOnNoApiAndNoGeneration = noClasses().that()
		.resideInAnyPackage("dev.initlab.jobs..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("dev.initlab.api..", "dev.initlab.generation..")
		.because("jobs queue and run prepared experiments; what an experiment is made of is experiments' "
				+ "business, HTTP is api's");

	@ArchTest
	static final ArchRule checkpointsDependOnNothingAboveThem = noClasses().that()
		.resideInAnyPackage("dev.initlab.checkpoints..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("dev.initlab.api..", "dev.initlab.jobs..", "dev.initlab.experiments..",
				"dev.initlab.training..", "dev.initlab.propagation..", "dev.initlab.plots..")
		.because("checkpoints turn a planned request into files and byte ranges; HTTP is api's (which plans "
				+ "the request for it through Checkpoints.RequestPlanner), experiments are not its business");

	@ArchTest
	static final ArchRule noPackageCycles = slices().matching("dev.initlab.(*)..")
		.should()
		.beFreeOfCycles()
		.because("data flows one way");

	private static String[] concat(String[] a, String[] b) {
		String[] all = new String[a.length + b.length];
		System.arraycopy(a, 0, all, 0, a.length);
		System.arraycopy(b, 0, all, a.length, b.length);
		return all;
	}

}
