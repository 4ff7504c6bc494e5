package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import io.funcpipe.adapters.source.SourceOptions;
import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.policy.RetryPolicy;
import io.funcpipe.rag.chunk.ChunkerOptions;

/**
 * What one job asks of the remote stages ({@link BusStages#bind}).
 *
 * @param jobId         the job's id, sent with every request (header {@value #JOB_HEADER}) and named in stage logs
 * @param inputs        files, folders or http(s) URLs, read on the parse node; at least one
 * @param sourceOptions format, globs, field names
 * @param chunking      chunk size and overlap, applied by the clean stage with its node's tokenizer
 * @param indexName     the index written, a simple folder name under the index node's root ({@link IndexNames})
 * @param window        W: at most W batches in flight per stage for this job (the credit that carries
 *                      backpressure across the bus); >= 1, default {@value #DEFAULT_WINDOW}
 * @param docBatch      documents pulled from the source session per request; >= 1, default {@value #DEFAULT_DOC_BATCH}
 * @param replyTimeout  how long one request waits for its reply; past it the request is a {@code TIMEOUT}
 *                      and retried under {@code retry}; > 0, default 30 s
 * @param retry         how a request that timed out or found no stage is retried (stages are idempotent),
 *                      except embed calls, whose retry is the guard's
 * @param embedGuard    wraps every embed call and is the only place it is retried: the supervisor's guard
 *                      applies the job's retry, rate limit, timeout and fair share of the embed capacity;
 *                      default identity (one attempt per call)
 */
public record BusJob(String jobId, List<String> inputs, SourceOptions sourceOptions, ChunkerOptions chunking,
                     String indexName, int window, int docBatch, Duration replyTimeout, RetryPolicy retry,
                     UnaryOperator<AsyncPlan<List<float[]>>> embedGuard) {

    /** The delivery header that carries the job id on every request. */
    public static final String JOB_HEADER = "funcpipe-job";
    public static final int DEFAULT_WINDOW = 4;
    public static final int DEFAULT_DOC_BATCH = 4;
    public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(30);

    public BusJob {
        requireNonNull(jobId, "jobId");
        requireNonNull(inputs, "inputs");
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a job needs at least one input: a file, folder or http(s) URL");
        }
        inputs = List.copyOf(inputs);
        requireNonNull(sourceOptions, "sourceOptions");
        requireNonNull(chunking, "chunking");
        IndexNames.check(indexName).ifPresent(e -> {
            throw new IllegalArgumentException(e.message());
        });
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1 (batches in flight per stage), got " + window);
        }
        if (docBatch < 1) {
            throw new IllegalArgumentException("docBatch must be >= 1, got " + docBatch);
        }
        requireNonNull(replyTimeout, "replyTimeout");
        if (replyTimeout.isNegative() || replyTimeout.isZero() || replyTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("replyTimeout must be at least 1 ms, got " + replyTimeout);
        }
        requireNonNull(retry, "retry");
        embedGuard = embedGuard == null ? UnaryOperator.identity() : embedGuard;
    }

    /** A job over {@code inputs} into {@code indexName} with every default. */
    public static BusJob of(String jobId, List<String> inputs, String indexName) {
        return new BusJob(jobId, inputs, SourceOptions.defaults(), ChunkerOptions.defaults(), indexName, DEFAULT_WINDOW,
                DEFAULT_DOC_BATCH, DEFAULT_REPLY_TIMEOUT, RetryPolicy.DEFAULT, UnaryOperator.identity());
    }

    public BusJob withSourceOptions(SourceOptions sourceOptions) {
        return new BusJob(jobId, inputs, sourceOptions, chunking, indexName, window, docBatch, replyTimeout, retry, embedGuard);
    }

    public BusJob withChunking(ChunkerOptions chunking) {
        return new BusJob(jobId, inputs, sourceOptions, chunking, indexName, window, docBatch, replyTimeout, retry, embedGuard);
    }

    public BusJob withWindow(int window) {
        return new BusJob(jobId, inputs, sourceOptions, chunking, indexName, window, docBatch, replyTimeout, retry, embedGuard);
    }

    public BusJob withDocBatch(int docBatch) {
        return new BusJob(jobId, inputs, sourceOptions, chunking, indexName, window, docBatch, replyTimeout, retry, embedGuard);
    }

    public BusJob withReplyTimeout(Duration replyTimeout) {
        return new BusJob(jobId, inputs, sourceOptions, chunking, indexName, window, docBatch, replyTimeout, retry, embedGuard);
    }

    public BusJob withRetry(RetryPolicy retry) {
        return new BusJob(jobId, inputs, sourceOptions, chunking, indexName, window, docBatch, replyTimeout, retry, embedGuard);
    }

    public BusJob withEmbedGuard(UnaryOperator<AsyncPlan<List<float[]>>> embedGuard) {
        return new BusJob(jobId, inputs, sourceOptions, chunking, indexName, window, docBatch, replyTimeout, retry, embedGuard);
    }
}
