package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * The durable job ledger: one JSON file per job, {@code <indexRoot>/.funcpipe-jobs/<id>.json},
 * on the volume that holds the indexes. A write goes to a temporary file that is forced to disk
 * and then atomically renamed over the old one (and the folder forced), so after a crash each
 * entry is either its previous or its new content, never a torn one. All calls block: run them on
 * a worker, in order ({@code executeBlocking(..., true)} on the supervisor's context).
 *
 * <p>Why a journal on the index volume, not a Hazelcast map: the supervisor runs where the index
 * writer runs (the StatefulSet pod with the index volume), and a job can only resume where its
 * index is. An entry on that volume comes back exactly when the index does, with the checkpoint
 * committed in the index beside it; a map in the cluster's memory would outlive the index it
 * describes only to point at data that is gone, and would be lost with the whole cluster.
 */
final class JobLedger {

    private static final Logger LOG = System.getLogger(JobLedger.class.getName());
    /** The ledger folder's name under the index root; index names cannot start with a dot, so none collides. */
    static final String FOLDER = ".funcpipe-jobs";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final Path dir;

    JobLedger(Path indexRoot) {
        this.dir = requireNonNull(indexRoot, "indexRoot").resolve(FOLDER);
    }

    Path dir() {
        return dir;
    }

    /** Records {@code entry} (which has an {@code id}) durably, replacing the job's earlier entry. */
    void write(JsonObject entry) {
        String id = id(entry.getString("id"));
        Path target = dir.resolve(id + ".json");
        Path temp = dir.resolve(id + ".json.tmp");
        try {
            Files.createDirectories(dir);
            // A stream, not a FileChannel: a channel closes itself when the writing thread is interrupted
            // (a worker interrupted while the supervisor stops), and the entry would be lost.
            try (java.io.FileOutputStream out = new java.io.FileOutputStream(temp.toFile())) {
                out.write(entry.encode().getBytes(StandardCharsets.UTF_8));
                out.getFD().sync();
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDir();
        } catch (IOException e) {
            throw new UncheckedIOException("could not record job " + id + " in the job ledger " + dir + ": " + e
                    + "; check that the index volume is writable and not full", e);
        }
    }

    /** Forgets a job. */
    void delete(String id) {
        try {
            Files.deleteIfExists(dir.resolve(id(id) + ".json"));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not delete the ledger entry of job {0} in {1}: {2}", id, dir, e);
        }
    }

    /**
     * Every entry, in no particular order. An entry that cannot be read (not JSON, no id) is
     * renamed to {@code <name>.unreadable} and named in a warning, never silently dropped.
     */
    List<JsonObject> readAll() {
        List<JsonObject> entries = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path file : files) {
                try {
                    JsonObject entry = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
                    id(entry.getString("id"));
                    entries.add(entry);
                } catch (IOException | DecodeException | IllegalArgumentException e) {
                    Path aside = file.resolveSibling(file.getFileName() + ".unreadable");
                    LOG.log(Level.WARNING, "the job ledger entry {0} cannot be read ({1}); moved to {2}", file, e, aside);
                    Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the job ledger " + dir + ": " + e, e);
        }
        return entries;
    }

    private void forceDir() {
        try (FileChannel folder = FileChannel.open(dir, StandardOpenOption.READ)) {
            folder.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Includes an interrupted thread's ClosedByInterruptException: the rename has happened.
            // Some file systems cannot open a directory for syncing; the rename itself is still atomic.
        }
    }

    private static String id(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a ledger entry needs an id of letters, digits and dashes, got " + id);
        }
        return id;
    }
}
