package io.funcpipe.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.Result;
import io.funcpipe.rag.RawDoc;
import io.funcpipe.service.bus.protocol.BusCodecs;
import io.funcpipe.service.bus.protocol.DocBatch;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * The event-bus transport alone: items per second through a chain of three stages that do no
 * work, each batch of {@code BATCH} items one request (a {@link DocBatch} of small {@code Ok}
 * documents, the parse stage's reply type), at most {@code WINDOW} batches in flight per stage.
 * Three arrangements, printed from the same run:
 * <ol>
 *   <li>in process: the same {@code mapAsync} chain with steps that answer at once (no bus);</li>
 *   <li>one JVM: the stages on the local event bus (messages passed by reference);</li>
 *   <li>two JVMs: this JVM and a second one started with the same classpath, clustered with
 *       Hazelcast on 127.0.0.1; the second hosts the stages, so every message crosses TCP both
 *       ways with the binary codec.</li>
 * </ol>
 * Run with {@code bench/transport.sh [ITEMS] [CLUSTER_ITEMS] [BATCH] [WINDOW]}.
 */
public final class TransportBench {

    private static final Duration LIMIT = Duration.ofMinutes(10);

    private TransportBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("host")) {
            host(args[1]);
            return;
        }
        long items = args.length > 0 ? Long.parseLong(args[0]) : 4_000_000;
        long clusterItems = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 512;
        int window = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        Buffer wire = Buffer.buffer();
        BusCodecs.of(DocBatch.class).encodeToWire(wire, batches(batch, batch).next());
        System.out.printf("TransportBench: %d stages doing no work, batches of %d items (%,d bytes on the wire), "
                        + "window %d, %d cores, %s%n", BenchCluster.STAGES, batch, wire.length(), window,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name") + " " + Runtime.version());

        Function<DocBatch, Uni<Result<DocBatch>>> direct = b -> Uni.createFrom().item(Result.ok(b));
        measure("in process (mapAsync, no bus)", items, batch, window, i -> direct);

        Vertx local = Vertx.vertx();
        try {
            BusCodecs.register(local.eventBus());
            await(BenchCluster.hostStages(local));
            measure("one JVM, local event bus", items, batch, window, i -> over(local, BenchCluster.stage(i)));
        } finally {
            await(local.close());
        }

        String clusterName = "funcpipe-bench-" + UUID.randomUUID();
        Process second = startSecondJvm(clusterName);
        Vertx clustered = null;
        try {
            clustered = await(BenchCluster.join(clusterName));
            awaitReady(second);
            Vertx bus = clustered;
            awaitStagesReachable(bus);
            measure("two JVMs, clustered (Hazelcast, TCP on 127.0.0.1)", clusterItems, batch, window,
                    i -> over(bus, BenchCluster.stage(i)));
        } finally {
            second.getOutputStream().close(); // the second JVM leaves when its stdin closes
            if (clustered != null) {
                await(clustered.close());
            }
            if (!second.waitFor(60, TimeUnit.SECONDS)) {
                second.destroyForcibly();
            }
        }
    }

    /** Warms the arrangement up, then times one run of {@code items} items and prints items/s. */
    private static void measure(String name, long items, int batch, int window,
                                Function<Integer, Function<DocBatch, Uni<Result<DocBatch>>>> stage) {
        run(Math.max(items / 5, batch), batch, window, stage);
        long start = System.nanoTime();
        long delivered = run(items, batch, window, stage);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (delivered != items) {
            throw new IllegalStateException(name + ": " + delivered + " items came out of " + items);
        }
        System.out.printf("  %-52s %,12d items in %6.2f s = %,12.0f items/s%n", name, items, seconds, items / seconds);
    }

    /** Runs the chain over {@code items} items and returns how many came out, checked in order. */
    private static long run(long items, int batch, int window,
                            Function<Integer, Function<DocBatch, Uni<Result<DocBatch>>>> stage) {
        AsyncGen<DocBatch> chain = AsyncGen.fromIterable(() -> batches(items, batch));
        for (int i = 1; i <= BenchCluster.STAGES; i++) {
            chain = chain.mapAsync(window, stage.apply(i));
        }
        AtomicLong next = new AtomicLong();
        chain.open().onItem().invoke(r -> r.fold(b -> {
            for (Result<RawDoc> doc : b.docs()) {
                long n = next.getAndIncrement();
                if (!(doc.isOk() && doc.fold(d -> d.bytes() == n, e -> false))) {
                    throw new IllegalStateException("item " + n + " came out as " + doc);
                }
            }
            return null;
        }, e -> {
            throw new IllegalStateException("a batch failed: " + e);
        })).collect().last().await().atMost(LIMIT);
        return next.get();
    }

    private static Iterator<DocBatch> batches(long items, int batch) {
        return new Iterator<>() {
            private long made;
            private long seq;

            @Override
            public boolean hasNext() {
                return made < items;
            }

            @Override
            public DocBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int n = (int) Math.min(batch, items - made);
                List<Result<RawDoc>> docs = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    long id = made++;
                    docs.add(Result.ok(new RawDoc("d" + id, "bench.jsonl:" + id, "item " + id, Map.of(), id, 0)));
                }
                return new DocBatch(++seq, docs, made == items, made, items);
            }
        };
    }

    private static Function<DocBatch, Uni<Result<DocBatch>>> over(Vertx vertx, String address) {
        DeliveryOptions options = new DeliveryOptions().setSendTimeout(60_000);
        return b -> Uni.createFrom().completionStage(() -> vertx.eventBus().<DocBatch>request(address, b, options)
                .map(reply -> Result.ok(reply.body())).toCompletionStage());
    }

    // ------------------------------------------------------------------ the second JVM

    private static Process startSecondJvm(String clusterName) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx512m");
        command.addAll(BenchCluster.HAZELCAST_JVM_ARGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TransportBench.class.getName(), "host",
                clusterName));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** In the second JVM: joins the cluster, hosts the stages, says READY, and leaves when stdin closes. */
    private static void host(String clusterName) throws Exception {
        Vertx vertx = await(BenchCluster.join(clusterName));
        await(BenchCluster.hostStages(vertx));
        System.out.println("READY");
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the driver to close our stdin
        }
        await(vertx.close());
        System.exit(0);
    }

    private static void awaitReady(Process second) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(second.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.equals("READY")) {
                return;
            }
        }
        throw new IllegalStateException("the second JVM ended before hosting the stages (exit " + exitValue(second) + ")");
    }

    /** Waits until a request reaches every stage of the second JVM (registrations spread through Hazelcast). */
    private static void awaitStagesReachable(Vertx vertx) throws InterruptedException {
        DocBatch probe = new DocBatch(0, List.of(), true, 0, 0);
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        for (int i = 1; i <= BenchCluster.STAGES; i++) {
            while (true) {
                try {
                    await(vertx.eventBus().request(BenchCluster.stage(i), probe));
                    break;
                } catch (IllegalStateException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the stages of the second JVM are not reachable: " + notYet.getMessage());
                    }
                    Thread.sleep(50);
                }
            }
        }
    }

    private static String exitValue(Process p) {
        try {
            return Integer.toString(p.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e.getCause() == null ? e.toString() : e.getCause().toString(), e);
        }
    }
}
