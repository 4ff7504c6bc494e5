package io.funcpipe.cli;

import java.io.PrintWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.funcpipe.service.auth.ApiKeys;
import io.funcpipe.service.auth.JwtTokens;
import io.funcpipe.service.job.Caller;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code funcpipe token}: makes an API key (and its key-file line) or signs a JWT for a principal. */
@Command(name = "token", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Make a credential for the service's authentication (docs/security.md).",
                "apikey: prints a new random key on stdout and, on stderr, the line to add to auth.apiKeys.file "
                        + "(the file holds only the key's SHA-256 hash); with --append FILE it adds the line to FILE.",
                "jwt: prints a JWT signed with the HS256 secret of --secret-file (the service's auth.jwt.secretFile).",
                "Exit codes: 0 done, 1 the key file could not be written, 2 usage error."})
final class TokenCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "KIND", description = "apikey or jwt.")
    String kind;

    @Option(names = "--principal", required = true, paramLabel = "NAME", description = "Who the credential names.")
    String principal;

    @Option(names = "--roles", paramLabel = "ROLE,...", defaultValue = "",
            description = "Its roles, comma-separated, such as admin (default: none).")
    String roles;

    @Option(names = "--append", paramLabel = "FILE",
            description = "apikey: add the key's line to this key file (created if missing) instead of printing it.")
    Path append;

    @Option(names = "--secret-file", paramLabel = "FILE", description = "jwt: the file with the HS256 secret.")
    Path secretFile;

    @Option(names = "--expires-in", paramLabel = "DURATION", defaultValue = "30d",
            converter = ServiceOptions.DurationConverter.class,
            description = "jwt: how long the token is valid (default: ${DEFAULT-VALUE}).")
    Duration expiresIn;

    @Option(names = "--issuer", paramLabel = "ISS", defaultValue = "", description = "jwt: the iss claim (auth.jwt.issuer).")
    String issuer;

    @Option(names = "--audience", paramLabel = "AUD", defaultValue = "", description = "jwt: the aud claim (auth.jwt.audience).")
    String audience;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Set<String> roleSet = Arrays.stream(roles.split(",")).map(String::strip).filter(r -> !r.isEmpty())
                .collect(Collectors.toSet());
        Caller caller;
        try {
            caller = new Caller(principal, roleSet);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        switch (kind) {
            case "apikey" -> {
                String key = ApiKeys.newKey();
                String line;
                try {
                    line = ApiKeys.line(key, caller);
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--principal: " + e.getMessage());
                }
                PrintWriter err = spec.commandLine().getErr();
                if (append != null) {
                    try {
                        Files.writeString(append, line + System.lineSeparator(), StandardOpenOption.CREATE,
                                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
                    } catch (IOException e) {
                        err.println("funcpipe: cannot add the key's line to " + append + ": " + e
                                + "; check that the folder exists and is writable");
                        err.flush();
                        return Main.FAILED;
                    }
                    out.println(key);
                    err.println("added the key's line for " + principal + " to " + append
                            + " (restart the service, or update its Secret, to use it)");
                } else {
                    out.println(key);
                    err.println("add this line to the service's auth.apiKeys.file:");
                    err.println(line);
                }
                err.flush();
            }
            case "jwt" -> {
                if (append != null) {
                    throw new UsageException("--append is for token apikey (a key file line); a JWT is not stored");
                }
                if (secretFile == null) {
                    throw new UsageException("token jwt needs --secret-file FILE (the service's auth.jwt.secretFile)");
                }
                Vertx vertx = Vertx.vertx();
                try {
                    out.println(JwtTokens.sign(vertx, secretFile, caller, expiresIn, issuer, audience));
                } catch (IllegalStateException e) {
                    throw new UsageException(e.getMessage());
                } finally {
                    vertx.close().await();
                }
            }
            default -> throw new UsageException("token KIND must be apikey or jwt, got " + kind);
        }
        out.flush();
        return 0;
    }
}
