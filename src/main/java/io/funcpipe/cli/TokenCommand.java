package io.funcpipe.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
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
                        + "(the file holds only the key's SHA-256 hash).",
                "jwt: prints a JWT signed with the HS256 secret of --secret-file (the service's auth.jwt.secretFile).",
                "Exit codes: 0 done, 2 usage error."})
final class TokenCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "KIND", description = "apikey or jwt.")
    String kind;

    @Option(names = "--principal", required = true, paramLabel = "NAME", description = "Who the credential names.")
    String principal;

    @Option(names = "--roles", paramLabel = "ROLE,...", defaultValue = "",
            description = "Its roles, comma-separated, such as admin (default: none).")
    String roles;

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
                out.println(key);
                spec.commandLine().getErr().println("add this line to the service's auth.apiKeys.file:");
                spec.commandLine().getErr().println(line);
                spec.commandLine().getErr().flush();
            }
            case "jwt" -> {
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
