package dev.initlab.api;

import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.initlab.experiments.ExperimentRequest;
import dev.initlab.experiments.ExperimentRunner;
import dev.initlab.jobs.ExperimentJob;
import dev.initlab.jobs.ExperimentView;
import dev.initlab.jobs.JobService;
import dev.initlab.plots.ExperimentPlot;
import dev.initlab.plots.Plots;
import dev.initlab.problems.NotFoundException;

@RestController
@RequestMapping("/api/v1/experiments")
@Tag(name = "experiments", description = "Train side by side and watch symmetry break (or not)")
class ExperimentController {

	private static final Pattern WAIT = Pattern.compile("(?:^|[,;\\s])wait\\s*=\\s*(\\d+)");

	private final ExperimentRunner runner;

	private final JobService jobs;

	ExperimentController(ExperimentRunner runner, JobService jobs) {
		this.runner = runner;
		this.jobs = jobs;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Run a symmetry experiment", description = """
			Trains a small network once per init policy on the same data and reports, per recorded iteration, \
			loss, accuracy, symmetry metrics of the first hidden layer, saturation, dead units and gradient \
			norms, plus a one-sentence verdict. Runs as a job: `Prefer: wait=N` returns 200 with the finished \
			result if it ends within N seconds, else 202 with `Location`. A full queue answers 429 with \
			`Retry-After`. A policy's `layers` gives some linear layers their own init (`[{"layers": [1], "init": \
			{...}}]`, 1-based input to output, the last is the output layer). A weight scheme `lsuv` (`tolerance`, \
			`max_iterations`) is LSUV on the training inputs: orthogonal, then every layer whose weight is lsuv \
			(the output layer too, as in the paper, unless an override keeps it out) rescaled until its output \
			variance is 1 ± tolerance; the result's `lsuv_iterations` has the rescalings per linear layer.""",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
					mediaType = MediaType.APPLICATION_JSON_VALUE,
					examples = {
							@ExampleObject(name = "lecture", summary = "Zeros vs small random vs He, planar flower",
									value = Examples.EXPERIMENT),
							@ExampleObject(name = "lsuv",
									summary = "LSUV on a 2-10-5-1 net, with and without the output layer",
									value = Examples.EXPERIMENT_LSUV) })))
	ResponseEntity<ExperimentView> create(
			@Valid @RequestBody ExperimentRequest request, @Parameter(description = "RFC 7240, e.g. wait=30",
					example = "wait=30") @RequestHeader(value = "Prefer", required = false) String prefer,
			Principal principal) {
		ExperimentRunner.Prepared prepared = this.runner.prepare(request);
		ExperimentJob job = this.jobs.submit(prepared, owner(principal));
		URI location = URI.create("/api/v1/experiments/" + job.id());
		Duration wait = waitOf(prefer);
		if (wait != null) {
			try {
				job.done().get(wait.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (TimeoutException ex) {
				// answered below with 202
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException(ex.getCause());
			}
		}
		ResponseEntity.BodyBuilder builder = (job.status().terminal()) ? ResponseEntity.ok()
				: ResponseEntity.status(HttpStatus.ACCEPTED);
		if (wait != null) {
			builder.header("Preference-Applied", "wait=" + wait.toSeconds());
		}
		return builder.location(location).body(job.view());
	}

	@GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Status and results so far", description = "queued, running, succeeded, failed or cancelled.")
	ExperimentView get(@PathVariable String id, Principal principal) {
		return find(id, principal).view();
	}

	@GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	@Operation(summary = "Progress as Server-Sent Events",
			description = "A `status` event with the current state at once, a `record` event per recorded iteration, "
					+ "and a final `status` event when the job ends.")
	SseEmitter events(@PathVariable String id, Principal principal) {
		ExperimentJob job = find(id, principal);
		SseEmitter emitter = new SseEmitter(this.jobs.properties().retention().toMillis());
		job.subscribe(emitter);
		return emitter;
	}

	@DeleteMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Cancel an experiment",
			description = "A queued job is cancelled at once; a running one stops at its next update (well within a "
					+ "second). Answers the state after the request.")
	ExperimentView cancel(@PathVariable String id, Principal principal) {
		ExperimentJob job = find(id, principal);
		this.jobs.cancel(job);
		try {
			job.done().get(2, TimeUnit.SECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			// the view below shows where it is
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return job.view();
	}

	@GetMapping(path = "/{id}/plots/{kind}.svg", produces = "image/svg+xml")
	@Operation(summary = "Plot loss, accuracy or symmetry by iteration",
			description = "One line per policy; kind is loss, accuracy or symmetry (distinct hidden units). "
					+ "A policy's decision boundary is boundary.svg, below.")
	ResponseEntity<String> plot(@PathVariable String id, @Parameter(example = "loss") @PathVariable String kind,
			Principal principal) {
		ExperimentPlot plot = ExperimentPlot.byName(kind)
			.orElseThrow(() -> new NotFoundException("unknown plot '" + kind + "'; allowed: "
					+ String.join(", ", ExperimentPlot.names()) + ", boundary"));
		ExperimentView view = find(id, principal).view();
		List<String> labels = view.results().stream().map(ExperimentView.Result::label).toList();
		List<int[]> iterations = view.results()
			.stream()
			.map(r -> r.history().stream().mapToInt(e -> e.iteration()).toArray())
			.toList();
		List<double[]> values = view.results().stream().map(r -> r.history().stream().mapToDouble(e -> switch (plot) {
			case LOSS -> e.loss();
			case ACCURACY -> e.trainAccuracy();
			case SYMMETRY -> (e.symmetry() != null) ? e.symmetry().distinctUnits() : Double.NaN;
		}).toArray()).toList();
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType("image/svg+xml"))
			.body(Plots.experimentPlot(plot, labels, iterations, values));
	}

	@GetMapping(path = "/{id}/plots/boundary.svg", produces = "image/svg+xml")
	@Operation(summary = "Plot a policy's decision boundary", description = """
			The trained network's prediction over the input plane (the training points' bounding box widened by 1 \
			on each side, as the course's plot_decision_boundary): each grid point in its predicted class's \
			colour, shaded by the predicted class's probability (for a sigmoid output also the 0.5 contour), the \
			training points on top coloured by label (at most initlab.experiments.max-boundary-points of them: \
			every k-th), the policy's label, its train accuracy and iteration in the title. Available once the job \
			has ended succeeded or cancelled (then: the network as it was when training stopped; a policy it never \
			reached, its initial network); 409 while queued or running, or when it failed; 409 when the data \
			have other than two features.""",
			responses = {
					@ApiResponse(responseCode = "200", description = "A standalone SVG document",
							content = @Content(mediaType = "image/svg+xml", schema = @Schema(type = "string"))),
					@ApiResponse(responseCode = "400", description = "Unknown policy, or resolution out of bounds",
							content = @Content(mediaType = "application/problem+json")),
					@ApiResponse(responseCode = "404", description = "No such experiment (or another key's)",
							content = @Content(mediaType = "application/problem+json")),
					@ApiResponse(responseCode = "409",
							description = "Not ended yet, failed (experiment-not-finished), or no 2-D input "
									+ "(input-not-2d)",
							content = @Content(mediaType = "application/problem+json")) })
	ResponseEntity<String> boundaryPlot(@PathVariable String id,
			@Parameter(description = POLICY, example = "he") @RequestParam(required = false) String policy,
			@Parameter(description = RESOLUTION, example = "100") @RequestParam(required = false) Integer resolution,
			Principal principal) {
		ExperimentRunner.Boundary b = this.jobs.boundary(find(id, principal), policy, resolution);
		double[][] points = Arrays.stream(b.drawn()).mapToObj((i) -> b.points().x()[i]).toArray(double[][]::new);
		int[] labels = Arrays.stream(b.drawn()).map((i) -> b.points().y()[i]).toArray();
		String title = String.format(Locale.ROOT, "%s: train accuracy %.1f %% after %d iterations", b.label(),
				100 * b.trainAccuracy(), b.updates());
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType("image/svg+xml"))
			.body(Plots.decisionBoundary(title, b.grid().x(), b.grid().y(), b.grid().classes(), b.grid().prediction(),
					b.grid().confidence(), b.grid().probability(), points, labels));
	}

	@GetMapping(path = "/{id}/boundary", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "A policy's decision boundary as numbers",
			description = "The grid of boundary.svg for a notebook: N x and y coordinates, N rows (one per y) of N "
					+ "values: P(class 1) (sigmoid) and the predicted class, or (softmax) the predicted class and its "
					+ "probability; and every training point with its label. Same availability and errors as "
					+ "boundary.svg.",
			responses = {
					@ApiResponse(responseCode = "200", description = "The grid",
							content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
									schema = @Schema(implementation = BoundaryResponse.class),
									examples = @ExampleObject(name = "sigmoid",
											summary = "resolution=3 of a 2-4-1 network on four points",
											value = Examples.BOUNDARY))),
					@ApiResponse(responseCode = "400", description = "Unknown policy, or resolution out of bounds",
							content = @Content(mediaType = "application/problem+json")),
					@ApiResponse(responseCode = "404", description = "No such experiment (or another key's)",
							content = @Content(mediaType = "application/problem+json")),
					@ApiResponse(responseCode = "409",
							description = "Not ended yet, failed (experiment-not-finished), or no 2-D input "
									+ "(input-not-2d)",
							content = @Content(mediaType = "application/problem+json")) })
	BoundaryResponse boundary(@PathVariable String id,
			@Parameter(description = POLICY, example = "he") @RequestParam(required = false) String policy,
			@Parameter(description = RESOLUTION, example = "100") @RequestParam(required = false) Integer resolution,
			Principal principal) {
		return BoundaryResponse.from(this.jobs.boundary(find(id, principal), policy, resolution));
	}

	private static final String POLICY = "the policy's label; required when the experiment has more than one";

	private static final String RESOLUTION = "grid points per axis, 2 to initlab.experiments.max-boundary-resolution "
			+ "(default 400); default 100";

	/**
	 * The caller's job: with API keys on, another key's job answers the same 404 as one
	 * that never existed.
	 */
	private ExperimentJob find(String id, Principal principal) {
		return this.jobs.find(id, owner(principal))
			.orElseThrow(() -> new NotFoundException("no experiment '" + id + "' (finished experiments are kept for "
					+ this.jobs.properties().retention().toMinutes()
					+ " minutes: configuration property initlab.jobs.retention)"));
	}

	/** The API key's name; {@code null} (anyone) when authentication is off. */
	private static String owner(Principal principal) {
		return (principal != null) ? principal.getName() : null;
	}

	private Duration waitOf(String prefer) {
		if (prefer == null) {
			return null;
		}
		Matcher m = WAIT.matcher(prefer);
		if (!m.find()) {
			return null;
		}
		long seconds;
		try {
			seconds = Long.parseLong(m.group(1));
		}
		catch (NumberFormatException ex) {
			seconds = Long.MAX_VALUE;
		}
		Duration max = this.jobs.properties().maxWait();
		return (seconds > max.toSeconds()) ? max : Duration.ofSeconds(seconds);
	}

}
