package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.util.List;

import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.rag.Embedder;
import io.funcpipe.service.bus.protocol.EmbedTexts;
import io.funcpipe.service.bus.protocol.Vectors;

/**
 * {@link Embedder} over the embed stage. Bound to the model the stage reported when the job was
 * bound ({@link #name()}, {@link #dimensions()}): a reply from a node running another model is an
 * {@code EMBED_FAILED} error rather than vectors mixed into the index. Each call is one request,
 * handed to the job's embed guard ({@link BusJob#embedGuard()}), which alone decides whether and how
 * often it is retried: the supervisor's guard applies the job's retry policy once, so a batch is
 * sent at most {@code maxAttempts} times. {@link #parallelism()} is the job's window.
 *
 * <p>{@link #truncations()} stays 0: the clean stage sizes chunks with the model's own tokenizer,
 * so the model never truncates them.
 */
final class BusEmbedder implements Embedder {

    private final StageClient client;
    private final BusJob job;
    private final String name;
    private final int dimensions;

    BusEmbedder(StageClient client, BusJob job, String name, int dimensions) {
        this.client = requireNonNull(client, "client");
        this.job = requireNonNull(job, "job");
        this.name = requireNonNull(name, "name");
        this.dimensions = dimensions;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public int parallelism() {
        return job.window();
    }

    @Override
    public AsyncPlan<List<float[]>> embed(List<String> texts) {
        List<String> copy = List.copyOf(requireNonNull(texts, "texts"));
        AsyncPlan<List<float[]>> attempt = client.once(StageAddress.EMBED, new EmbedTexts(copy), Vectors.class)
                .flatMap(vectors -> checked(vectors, copy.size()));
        return requireNonNull(job.embedGuard().apply(attempt), "the embed guard returned null");
    }

    private AsyncPlan<List<float[]>> checked(Vectors reply, int texts) {
        if (!reply.embedder().equals(name) || reply.dimensions() != dimensions) {
            return AsyncPlan.failed(ErrInfo.of(ErrCode.EMBED_FAILED, "an embed node runs '" + reply.embedder() + "' ("
                    + reply.dimensions() + " dims) but this job is bound to '" + name + "' (" + dimensions
                    + " dims): every node hosting " + StageAddress.EMBED + " must run the same model"));
        }
        if (reply.vectors().size() != texts) {
            return AsyncPlan.failed(ErrInfo.of(ErrCode.EMBED_FAILED, "the embed stage answered "
                    + reply.vectors().size() + " vectors for " + texts + " texts"));
        }
        return AsyncPlan.of(reply.vectors());
    }
}
