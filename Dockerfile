# prisma-access-mcp over Streamable HTTP. Build: docker build -t prisma-access-mcp .
# Run:   docker run --read-only --tmpfs /tmp -p 8080:8080 -v $PWD/clients.json:/config/clients.json:ro \
#          -e SCM_CLIENT_ID -e SCM_CLIENT_SECRET -e SCM_TSG_ID prisma-access-mcp
# test/packaging/dockerfile.test.ts runs the runtime stage's steps below without Docker: keep them plain.

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY . .
# prepare syncs the pinned specs and builds dist/ (TypeScript and the generated catalogue).
RUN npm ci --no-audit --no-fund

# dist/cli.js is a bundle with every runtime dependency inside (src/build/bundle.ts): no node_modules, no install.
FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/dist ./dist
COPY --from=build /src/specs/sources.json /src/specs/overlay.yaml ./specs/
COPY --from=build /src/LICENSE /src/README.md ./
# HTTP on all interfaces: the server refuses to start without client auth (a clients file or OAuth) there.
ENV NODE_ENV=production \
    PRISMA_MCP_HTTP=1 \
    PRISMA_MCP_HOST=0.0.0.0 \
    PRISMA_MCP_PORT=8080 \
    PRISMA_MCP_CLIENTS=/config/clients.json \
    XDG_STATE_HOME=/tmp/state
# The only writes (audit log) go under XDG_STATE_HOME, so a read-only root with a /tmp tmpfs works.
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PRISMA_MCP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "dist/cli.js"]
