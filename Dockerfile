# initlab container image.
#
#   docker build -t initlab .
#   docker run --rm -p 8080:8080 initlab            # extra arguments go to Spring Boot, e.g. --server.port=9090
#
# Stage "build" compiles the Spring Boot jar with the Maven wrapper and splits it into Boot's
# layers; the runtime stage copies those layers, least often changed first, onto a JRE-only base,
# so a code change rebuilds only the small "application" layer.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /build

# Dependencies first: this layer is rebuilt only when the POM or the wrapper changes, not on
# every source edit. go-offline fetches the plugins too (checked: `package` then runs offline).
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN chmod +x mvnw && ./mvnw -B -q dependency:go-offline

# Tests run in CI (.ci/run); the image build only packages.
COPY src/ src/
RUN ./mvnw -B -DskipTests package \
 && cp target/*.jar app.jar

# Boot 4's tools jar mode: --layers without --launcher gives dependencies/lib/*.jar plus
# application/app.jar whose manifest Class-Path points at lib/, so the app starts with a plain
# `java -jar app.jar` (Spring Boot's documented layout; it also allows CDS/AOT caches later).
# spring-boot-loader/ and snapshot-dependencies/ are created empty when they have nothing.
RUN java -Djarmode=tools -jar app.jar extract --layers --destination extracted


FROM eclipse-temurin:17-jre

# Fixed numeric uid/gid so orchestrators can check runAsNonRoot and volumes can be chowned.
# /etc/initlab/java.args, read by the ENTRYPOINT's java: --add-modules jdk.incubator.vector when
# this JRE has the module (the Vector API kernel of orthogonal's float32 QR), else nothing, so a
# JRE image without it still starts (the same bits from the scalar loops, slower).
RUN groupadd --gid 10001 initlab \
 && useradd --no-log-init --uid 10001 --gid 10001 --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin initlab \
 && mkdir -p /etc/initlab \
 && if java --add-modules jdk.incubator.vector -version >/dev/null 2>&1; \
    then echo '--add-modules=jdk.incubator.vector' > /etc/initlab/java.args; \
    else : > /etc/initlab/java.args; fi

WORKDIR /app
# One COPY per layer, in layers.idx order; files stay root-owned, so the app cannot modify itself.
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./

USER 10001:10001

# Heap sized from the container's memory limit; die on OOM so the orchestrator restarts us
# instead of limping on. Override with `docker run -e JAVA_TOOL_OPTIONS=...`.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"

EXPOSE 8080

# Readiness over plain bash /dev/tcp: no curl/wget needed, no JVM start per probe.
# Healthy only on an HTTP 200 from /actuator/health/readiness (503 while starting or draining).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${SERVER_PORT:-8080} && printf 'GET /actuator/health/readiness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && read -r -t 4 status <&3 && [[ $status == 'HTTP/1.'?' 200'* ]]"]

# Exec form: java is PID 1 and gets SIGTERM directly, so Boot shuts down gracefully.
# @/etc/initlab/java.args: the Vector API module when the JRE has it (above); the JVM then notes
# "WARNING: Using incubator modules" on stderr.
ENTRYPOINT ["java", "@/etc/initlab/java.args", "-jar", "app.jar"]
