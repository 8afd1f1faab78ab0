package dev.initlab.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.initlab.training.HistoryEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subscriber to a job's events sees every recorded entry exactly once: in the first
 * {@code status} event's history or as a {@code record} event after it, even when an
 * entry is recorded while the subscriber's first event is being sent (the page's charts
 * were missing a point when that happened).
 */
class ExperimentJobEventsTests {

	static final String REQUEST = """
			{"seed": 1, "dataset": {"name": "circles", "n_samples": 40}, "model": {"hidden_layers": [2]},
			 "training": {"iterations": 10, "record_every": 5},
			 "policies": [{"label": "zeros", "init": {"preset": "zeros"}}]}
			""";

	@Test
	void anEntryRecordedWhileTheFirstStatusIsSentIsDeliveredOnce() throws Exception {
		ExperimentJob job = new ExperimentJob("j", null, TestRunners.prepare(TestRunners.runner(), REQUEST),
				(ended) -> {
				});
		assertThat(job.start()).isTrue();
		job.record(0, entry(0));
		List<Thread> recorders = new ArrayList<>();
		Capturing emitter = new Capturing(() -> {
			// Another thread records while this subscriber's snapshot is on its way. It
			// is
			// given a moment to get in; the assertion below holds whether or not it did.
			Thread recorder = new Thread(() -> job.record(0, entry(5)));
			recorders.add(recorder);
			recorder.start();
			try {
				recorder.join(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});

		job.subscribe(emitter);
		for (Thread recorder : recorders) {
			recorder.join(TimeUnit.MINUTES.toMillis(1));
		}

		List<Integer> seen = new ArrayList<>();
		assertThat(emitter.events.get(0)).isInstanceOf(ExperimentView.class);
		for (HistoryEntry entry : ((ExperimentView) emitter.events.get(0)).results().get(0).history()) {
			seen.add(entry.iteration());
		}
		for (Object event : emitter.events.subList(1, emitter.events.size())) {
			seen.add(((ExperimentJob.RecordEvent) event).entry().iteration());
		}
		assertThat(seen).containsExactly(0, 5);
	}

	private static HistoryEntry entry(int iteration) {
		return new HistoryEntry(iteration, 0.69, 0.5, null, null, List.of(), List.of(), List.of());
	}

	/** Keeps the data objects of the events sent; runs a hook during the first send. */
	static final class Capturing extends SseEmitter {

		final List<Object> events = new ArrayList<>();

		private Runnable duringFirstSend;

		Capturing(Runnable duringFirstSend) {
			this.duringFirstSend = duringFirstSend;
		}

		@Override
		public void send(SseEventBuilder builder) {
			for (DataWithMediaType part : builder.build()) {
				if (!(part.getData() instanceof String)) {
					this.events.add(part.getData());
				}
			}
			Runnable hook = this.duringFirstSend;
			this.duringFirstSend = null;
			if (hook != null) {
				hook.run();
			}
		}

	}

}
