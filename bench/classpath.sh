#!/usr/bin/env bash
# Sourced by the benchmark scripts: compiles the tests and sets $java and $cp (test classpath).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java="$("$root/bin/find-jdk")/bin/java"
(cd "$root" && mvn -q -B -ntp -Dstyle.color=never -DskipTests package test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >&2)
# a snapshot of the compiled classes, so that a build during a long benchmark cannot pull them away
snapshot="$(mktemp -d "${TMPDIR:-/tmp}/funcpipe-bench-classes.XXXXXX")"
trap 'rm -rf "$snapshot"' EXIT
cp -r "$root/target/classes" "$snapshot/classes"
cp -r "$root/target/test-classes" "$snapshot/test-classes"
cp="$snapshot/classes:$snapshot/test-classes:$(cat "$root/target/test-classpath.txt")"
# the JVM options bin/funcpipe uses: Lucene's SIMD vector code, native access without warnings
jvm_opts=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)
