package dev.initlab.jobs;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a job is. */
public enum JobStatus {

	QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

	@JsonValue
	public String wireName() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

	public boolean terminal() {
		return this == SUCCEEDED || this == FAILED || this == CANCELLED;
	}

}
