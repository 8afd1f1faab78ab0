package dev.initlab.observability;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdsTests {

	@AfterEach
	void clear() {
		MDC.clear();
	}

	@Test
	void safeClientIdsAreKept() {
		for (String id : new String[] { "a", "0af7651916cd43dd8448eb211c80319c", "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
				"notebook-7:run_3.step-12", "x".repeat(64) }) {
			assertThat(RequestIds.accept(id)).isEqualTo(id);
		}
	}

	@Test
	void anyOtherIdIsReplacedByAFreshOne() {
		for (String id : new String[] { null, "", "x".repeat(65), "a b", "a\nb", "a\r\nX-Forged: 1", "<b>", "é", "a/b",
				"a=b" }) {
			String accepted = RequestIds.accept(id);
			assertThat(accepted).as(String.valueOf(id)).isNotEqualTo(id).hasSize(36);
		}
		assertThat(RequestIds.accept(null)).isNotEqualTo(RequestIds.accept(null));
	}

	@Test
	void propagatedTasksRunWithTheSubmittersContextAndLeaveTheWorkersAlone() throws Exception {
		ExecutorService worker = Executors.newSingleThreadExecutor();
		try {
			worker.submit(() -> MDC.put("worker", "own")).get();
			MDC.put(RequestIds.MDC_KEY, "req-1");
			Callable<String> seen = () -> MDC.get(RequestIds.MDC_KEY) + "/" + MDC.get("worker");
			assertThat(worker.submit(RequestIds.propagate(seen)).get()).isEqualTo("req-1/null");
			String[] inRunnable = new String[1];
			worker.submit(RequestIds.propagate(() -> inRunnable[0] = MDC.get(RequestIds.MDC_KEY))).get();
			assertThat(inRunnable[0]).isEqualTo("req-1");
			// afterwards the worker has its own context back
			assertThat(worker.submit(seen).get()).isEqualTo("null/own");
		}
		finally {
			worker.shutdownNow();
		}
	}

}
