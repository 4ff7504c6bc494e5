#!/usr/bin/env bash
# Sourced by the benchmark scripts: compiles the tests and sets $java and $cp (test classpath).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java="$("$root/bin/find-jdk")/bin/java"
(cd "$root" && mvn -q -B -ntp -DskipTests package test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >&2)
cp="$root/target/classes:$root/target/test-classes:$(cat "$root/target/test-classpath.txt")"
# the JVM options bin/funcpipe uses: Lucene's SIMD vector code, native access without warnings
jvm_opts=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)
