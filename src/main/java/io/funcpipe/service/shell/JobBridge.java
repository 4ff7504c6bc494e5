package io.funcpipe.service.shell;

import java.util.List;

import io.funcpipe.service.bus.IndexAddresses;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;

/**
 * What the SockJS event-bus bridge at {@code /eventbus/*} lets through: clients may send to the
 * job API's four addresses and the index API's two ({@code funcpipe.index.search}, {@code funcpipe.index.list}), and receive progress events and replies; every other address (the
 * stages' {@code funcpipe.stage.*} above all) is refused with {@code access_denied}. Replies to
 * a permitted request pass without a rule of their own.
 */
public final class JobBridge {

    /** Submit a job spec (JSON); the reply carries the job id. */
    public static final String SUBMIT = "funcpipe.jobs.submit";
    /** A job's state. */
    public static final String STATUS = "funcpipe.jobs.status";
    /** Cancel a job. */
    public static final String CANCEL = "funcpipe.jobs.cancel";
    /** The jobs this cluster knows. */
    public static final String LIST = "funcpipe.jobs.list";
    /**
     * The largest WebSocket frame either side of the bridge sends or takes (64 KiB, Vert.x's
     * default); a longer message goes as several frames.
     */
    public static final int MAX_FRAME_BYTES = 64 * 1024;
    /**
     * The largest bridge message either side takes whole: 64 MiB, room for a page of 100 statuses of
     * jobs with thousands of sources each, or such a job's spec (Vert.x's default, 256 KiB, is not).
     */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
    /** Progress events of one job: {@code funcpipe.jobs.<id>.progress}. */
    public static final String PROGRESS_REGEX = "funcpipe\\.jobs\\.[^.]+\\.progress";

    private JobBridge() {
    }

    /** The address progress events of job {@code id} are published on. */
    public static String progressAddress(String id) {
        return "funcpipe.jobs." + id + ".progress";
    }

    static SockJSBridgeOptions options() {
        SockJSBridgeOptions options = new SockJSBridgeOptions();
        for (String address : List.of(SUBMIT, STATUS, CANCEL, LIST, IndexAddresses.SEARCH, IndexAddresses.LIST,
                IndexAddresses.DELETE)) {
            options.addInboundPermitted(new PermittedOptions().setAddress(address));
        }
        return options.addOutboundPermitted(new PermittedOptions().setAddressRegex(PROGRESS_REGEX));
    }
}
