package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * Who asks the job API: a principal and its roles. The entry points that face clients (the SockJS
 * bridge, the REST API) authenticate the client and put its caller into the headers of every
 * message they pass on ({@link #writeTo(DeliveryOptions)}), replacing whatever the client sent;
 * the supervisor reads it back with {@link #from(MultiMap)} and decides with
 * {@link #mayAccess(String)}. A message without these headers comes from inside the cluster (a
 * {@code JobClient} on the cluster's bus, which only FuncPipe nodes can join) and is
 * {@link #INTERNAL}.
 */
public record Caller(String principal, Set<String> roles) {

    /** The header naming the principal. */
    public static final String PRINCIPAL_HEADER = "funcpipe-principal";
    /** The header listing the roles, comma-separated. */
    public static final String ROLES_HEADER = "funcpipe-roles";
    /** The role that sees, follows and cancels every job. */
    public static final String ADMIN = "admin";
    /**
     * Where the HTTP entry points keep the authenticated caller of a request
     * ({@code routingContext.put(Caller.CONTEXT_KEY, caller)}, read with {@code routingContext.get}).
     */
    public static final String CONTEXT_KEY = "funcpipe.caller";
    /** A caller inside the cluster, or any caller when authentication is off: may do everything. */
    public static final Caller INTERNAL = new Caller("internal", Set.of(ADMIN));

    public Caller {
        requireNonNull(principal, "principal");
        roles = Set.copyOf(requireNonNull(roles, "roles"));
    }

    /** True if this caller holds the {@code admin} role. */
    public boolean admin() {
        return roles.contains(ADMIN);
    }

    /** True if this caller may see, follow or cancel a job owned by {@code owner}. */
    public boolean mayAccess(String owner) {
        return admin() || principal.equals(owner);
    }

    /** Puts this caller into a message's headers, replacing any there. */
    public DeliveryOptions writeTo(DeliveryOptions options) {
        return options.addHeader(PRINCIPAL_HEADER, principal).addHeader(ROLES_HEADER, String.join(",", roles));
    }

    /** Puts this caller into a message's headers, replacing any there. */
    public MultiMap writeTo(MultiMap headers) {
        return headers.set(PRINCIPAL_HEADER, principal).set(ROLES_HEADER, String.join(",", roles));
    }

    /** The caller a message's headers name, or {@link #INTERNAL} when they name none. */
    public static Caller from(MultiMap headers) {
        String principal = headers == null ? null : headers.get(PRINCIPAL_HEADER);
        if (principal == null) {
            return INTERNAL;
        }
        String roles = headers.get(ROLES_HEADER);
        return new Caller(principal, roles == null || roles.isBlank() ? Set.of()
                : Arrays.stream(roles.split(",")).map(String::trim).filter(r -> !r.isEmpty()).collect(Collectors.toSet()));
    }
}
