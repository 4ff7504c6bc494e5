# syntax=docker/dockerfile:1
# The FuncPipe service image. Build from the repository root:
#   docker build -t funcpipe:0.1.0 .
# then deploy with the manifests in deploy/ (see deploy/README.md).

# --- build: the thin jar and its dependencies (target/funcpipe.jar + target/lib/) ---
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml ./
COPY src ./src
# The cache mount keeps downloaded dependencies between builds (BuildKit).
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -DskipTests package

# --- runtime: a JRE, the jar, its libraries and the default config, run as a non-root user ---
FROM eclipse-temurin:21-jre
RUN groupadd --system --gid 10001 funcpipe \
 && useradd --system --uid 10001 --gid funcpipe --home-dir /app --no-create-home --shell /usr/sbin/nologin funcpipe
WORKDIR /app
COPY --from=build /src/target/lib/ ./lib/
COPY --from=build /src/target/funcpipe.jar ./funcpipe.jar
# conf/funcpipe.yaml documents every setting; mount another file over it (a ConfigMap) to change some.
COPY conf/ ./conf/
COPY samples/ ./samples/
# The default index.dir (./funcpipe-indexes), writable by the service user; Kubernetes mounts a volume instead.
RUN mkdir -p /app/funcpipe-indexes && chown funcpipe:funcpipe /app/funcpipe-indexes

# Size the heap from the container's memory limit, not the host's.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
# Listen on every interface in a container (the default is loopback); beyond loopback serve needs
# authentication: mount an API-key file (FUNCPIPE_AUTH_API_KEYS_FILE, as deploy/ does) or a JWT key.
ENV FUNCPIPE_HTTP_HOST=0.0.0.0
USER 10001:10001
# http.port, cluster.port (Hazelcast), the event bus (cluster.busPort as deploy/ sets it)
EXPOSE 8080 5701 5710
# jdk.incubator.vector lets Lucene use SIMD for vector similarity; native access is for the ONNX
# runtime and Lucene's memory-mapped files. The --add-* options give Hazelcast the JDK internals it
# asks for (it runs slower without them). bin/funcpipe passes the same options.
ENTRYPOINT ["java", \
  "--add-modules", "jdk.incubator.vector", \
  "--enable-native-access=ALL-UNNAMED", \
  "--add-modules", "java.se", \
  "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", \
  "--add-opens", "java.base/java.lang=ALL-UNNAMED", \
  "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", \
  "--add-opens", "java.management/sun.management=ALL-UNNAMED", \
  "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED", \
  "-jar", "funcpipe.jar", "serve", "--conf", "/app/conf/funcpipe.yaml"]
