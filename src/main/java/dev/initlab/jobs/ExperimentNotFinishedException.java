package dev.initlab.jobs;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.initlab.problems.ProblemTypes;

/**
 * What an experiment trained is asked for before it has any: 409 problem details of type
 * {@code experiment-not-finished} with the job's {@code status}.
 */
public class ExperimentNotFinishedException extends ErrorResponseException {

	ExperimentNotFinishedException(String id, JobStatus status) {
		super(HttpStatus.CONFLICT, problem(id, status), null);
	}

	private static ProblemDetail problem(String id, JobStatus status) {
		String detail = (status == JobStatus.FAILED)
				? "Experiment " + id + " failed, so it has no trained network to show."
				: "Experiment " + id + " is " + status.wireName() + "; its trained networks are shown once it has "
						+ "ended succeeded or cancelled: wait for the final status event of " + "/api/v1/experiments/"
						+ id + "/events.";
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, detail);
		problem.setType(ProblemTypes.of("experiment-not-finished"));
		problem.setTitle("Experiment not finished");
		problem.setProperty("status", status.wireName());
		return problem;
	}

}
