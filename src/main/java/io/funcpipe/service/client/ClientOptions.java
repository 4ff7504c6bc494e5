package io.funcpipe.service.client;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.function.Consumer;

import io.smallrye.common.annotation.CheckReturnValue;

/**
 * How a job API client waits: for each reply, between status polls while it follows a job, and
 * for the service to come back when it loses it.
 *
 * @param requestTimeout how long one request waits for its reply (> 0). Default 30 s.
 * @param pollEvery      the time between two status polls while following a job (> 0). Default 2 s.
 * @param reconnectFor   while following a job, how long in all it goes on reconnecting (or asking
 *                       again) after it lost the service, before it gives up (>= 0). Default 5 min.
 * @param notices        what the client tells its user while it follows through a fault (lost
 *                       contact, reconnected, giving up), one sentence each. Default: nothing.
 * @param token          the bearer token (an API key or a JWT) sent with every bridge frame, or
 *                       {@code ""} for none. Default none.
 */
public record ClientOptions(Duration requestTimeout, Duration pollEvery, Duration reconnectFor, Consumer<String> notices,
                            String token) {

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_POLL_EVERY = Duration.ofSeconds(2);
    public static final Duration DEFAULT_RECONNECT_FOR = Duration.ofMinutes(5);
    /** The first wait before reconnecting; each later one doubles, up to {@link #MAX_BACKOFF}. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    public ClientOptions {
        requireNonNull(requestTimeout, "requestTimeout");
        requireNonNull(pollEvery, "pollEvery");
        requireNonNull(reconnectFor, "reconnectFor");
        requireNonNull(notices, "notices");
        token = requireNonNull(token, "token").strip();
        if (requestTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("requestTimeout must be at least 1 ms, got " + requestTimeout);
        }
        if (pollEvery.toMillis() < 1) {
            throw new IllegalArgumentException("pollEvery must be at least 1 ms, got " + pollEvery);
        }
        if (reconnectFor.isNegative()) {
            throw new IllegalArgumentException("reconnectFor must be >= 0, got " + reconnectFor);
        }
    }

    /** Every default. */
    public static ClientOptions defaults() {
        return new ClientOptions(DEFAULT_REQUEST_TIMEOUT, DEFAULT_POLL_EVERY, DEFAULT_RECONNECT_FOR, notice -> { }, "");
    }

    @CheckReturnValue
    public ClientOptions withRequestTimeout(Duration requestTimeout) {
        return new ClientOptions(requestTimeout, pollEvery, reconnectFor, notices, token);
    }

    @CheckReturnValue
    public ClientOptions withPollEvery(Duration pollEvery) {
        return new ClientOptions(requestTimeout, pollEvery, reconnectFor, notices, token);
    }

    @CheckReturnValue
    public ClientOptions withReconnectFor(Duration reconnectFor) {
        return new ClientOptions(requestTimeout, pollEvery, reconnectFor, notices, token);
    }

    @CheckReturnValue
    public ClientOptions withNotices(Consumer<String> notices) {
        return new ClientOptions(requestTimeout, pollEvery, reconnectFor, notices, token);
    }

    @CheckReturnValue
    public ClientOptions withToken(String token) {
        return new ClientOptions(requestTimeout, pollEvery, reconnectFor, notices, token);
    }

    /** The wait before reconnect attempt {@code attempt} (1 = the first): 200 ms, doubling, at most 10 s. */
    Duration backoff(int attempt) {
        long millis = FIRST_BACKOFF.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
        return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
    }
}
