# mojasim's image: built on Debian 12 with the packages and commands CI uses
# (tools/install-deps, tools/test; tests/cli/deploy_check.py keeps them in sync), run on
# Debian 12 slim with only the shared libraries the binary links, as a non-root user.
#   docker build -t mojasim .
#   docker run --rm -p 4000:4000 -p 4001:4001 mojasim serve switch --host 0.0.0.0 --currency USD
# compose.yaml runs the four actors; deploy/k8s/ holds the Kubernetes manifests.

FROM debian:12 AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      cmake ninja-build g++ ccache pkg-config \
      libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev \
      libcli11-dev libyaml-cpp-dev libspdlog-dev libfmt-dev catch2 libssl-dev libgoogle-perftools-dev \
      python3 python3-yaml \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
RUN cmake --build build --target mojasim

FROM debian:12-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libboost-json1.81.0 libboost-url1.81.0 libyaml-cpp0.7 libspdlog1.10 libfmt9 libssl3 libtcmalloc-minimal4 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home mojasim
COPY --from=build /src/build/mojasim /usr/local/bin/mojasim
COPY --from=build /src/scenarios /usr/share/mojasim/scenarios
WORKDIR /usr/share/mojasim
USER 10001
EXPOSE 4000 4001 4100 4101 4102 4200 4202 5000 5001
ENTRYPOINT ["mojasim"]
CMD ["--help"]
