package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which callers may use an index ({@code auth.indexRoles}): an index named in {@code roles} only
 * callers holding one of its roles, or {@link Caller#ADMIN}; every other index every caller. The
 * one place this rule lives: the supervisor checks it when a job is submitted, the search entry
 * points when an index is searched.
 */
public record IndexAccess(Map<String, Set<String>> roles) {

    /** No index is limited. */
    public static final IndexAccess OPEN = new IndexAccess(Map.of());

    public IndexAccess {
        roles = Map.copyOf(requireNonNull(roles, "roles"));
    }

    /** Empty when {@code caller} may use {@code index}, else the refusal's message. */
    public Optional<String> check(Caller caller, String index) {
        requireNonNull(caller, "caller");
        requireNonNull(index, "index");
        Set<String> needed = roles.get(index);
        if (needed == null || caller.admin() || needed.stream().anyMatch(caller.roles()::contains)) {
            return Optional.empty();
        }
        return Optional.of(caller.principal() + " may not use index " + index + ": it is limited to the roles "
                + new TreeSet<>(needed) + " (auth.indexRoles) and " + caller.principal() + " holds "
                + (caller.roles().isEmpty() ? "none" : new TreeSet<>(caller.roles()))
                + "; ask the operator for a key or token with one of them");
    }
}
