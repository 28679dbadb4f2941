#!/usr/bin/env bash
# 文明创建管理平台 (Wenming) — offline installer. Needs no network: every wheel is in ./wheels.
#
#   ./install.sh                 install: venv, configuration, migrations, the first 三员 accounts, services
#   ./install.sh --upgrade       backup, new venv, migrate, restart; rolls back venv and data if migrating fails
#   ./install.sh --uninstall     stop and remove the program and its services; data, configuration and backups stay
#   ./install.sh --stop | --start    stop or start the services (also without systemd)
#   ./install.sh --help          every option
#
# Every path is an option (and an environment variable), so the same script installs into a test directory.
# See INSTALL.md (docs/install.md in the source).
set -Eeuo pipefail
umask 022   # program files readable by the service account; secrets get their own modes

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PREFIX="${WENMING_PREFIX:-/opt/wenming}"
CONF_DIR="${WENMING_CONF_DIR:-/etc/wenming}"
DATA_DIR="${WENMING_DATA_DIR:-/var/lib/wenming}"
BACKUP_DIR="${WENMING_BACKUP_DIR:-/var/backups/wenming}"
SYSTEMD_DIR="${WENMING_SYSTEMD_DIR:-/etc/systemd/system}"
SERVICE_USER="${WENMING_USER:-}"
PYTHON="${WENMING_PYTHON:-}"
BIND="${WENMING_BIND:-127.0.0.1:8000}"
WORKERS="${WENMING_WORKERS:-}"
HOSTS="${WENMING_ALLOWED_HOSTS:-}"
DB_URL="${WENMING_DATABASE_URL:-}"
TLS="${WENMING_TLS:-0}"
export WENMING_UNIT_NAME="${WENMING_UNIT_NAME:-}"
export WENMING_ADMIN="${WENMING_ADMIN:-}" WENMING_SECURITY="${WENMING_SECURITY:-}" WENMING_AUDITOR="${WENMING_AUDITOR:-}"
export WENMING_ADMIN_PASSWORD="${WENMING_ADMIN_PASSWORD:-}" WENMING_SECURITY_PASSWORD="${WENMING_SECURITY_PASSWORD:-}"
export WENMING_AUDITOR_PASSWORD="${WENMING_AUDITOR_PASSWORD:-}"
ACTION=install
SYSTEMD=1
SERVICES=(wenming-web wenming-worker)
TIMERS=(wenming-send-notifications wenming-send-reminders wenming-send-digests wenming-purge-recycle-bin)

usage() {
  cat <<'EOF'
用法 / usage: ./install.sh [--upgrade | --uninstall | --stop | --start] [选项 / options]

  --prefix DIR          程序（各版本的 venv）/ program and its venvs          [/opt/wenming]
  --conf-dir DIR        配置与密钥 / configuration and secret key             [/etc/wenming]
  --data-dir DIR        数据库、上传文件 / database and uploaded files       [/var/lib/wenming]
  --backup-dir DIR      升级前的备份 / backups taken before upgrades           [/var/backups/wenming]
  --systemd-dir DIR     systemd 单元目录 / where the units go                 [/etc/systemd/system]
  --no-systemd          不用 systemd，直接启动同样的命令 / start the same commands directly
  --user NAME           服务账号 / service account   [wenming with systemd; the current user without]
  --python PATH         Python 3.11 或 3.12 / the interpreter for the venv  [python3.12, python3.11, python3]
  --bind ADDR           gunicorn 监听地址 / gunicorn's address                  [127.0.0.1:8000]
  --workers N           gunicorn 进程数 / gunicorn workers                      [2 × cores + 1]
  --allowed-hosts LIST  访问用的主机名，逗号分隔 / host names people type, comma-separated
  --database-url URL    PostgreSQL，如 postgres://wenming:密码@db:5432/wenming；省略则用 SQLite
  --tls                 由 nginx 提供 HTTPS / behind nginx with TLS (secure cookies, HSTS)
  --unit-name NAME      本单位名称 / the unit's name, e.g. 某某市人民法院
  --admin NAME  --security NAME  --auditor NAME
                        三员账号名 / usernames of the three administrators
  密码只从环境变量或提示输入读取 / passwords only from the environment or a prompt:
                        WENMING_ADMIN_PASSWORD, WENMING_SECURITY_PASSWORD, WENMING_AUDITOR_PASSWORD
EOF
}

say() { printf '%s\n' "$*"; }
step() { printf '\n== [%ds] %s\n' "$SECONDS" "$*"; }
die() { printf '\n失败 / failed: %s\n' "$*" >&2; exit 1; }
trap 'die "第 $LINENO 行的命令出错（见上方输出）/ a command failed at line $LINENO"' ERR

while (($#)); do
  case "$1" in
    --upgrade) ACTION=upgrade ;;
    --uninstall) ACTION=uninstall ;;
    --stop) ACTION=stop ;;
    --start) ACTION=start ;;
    --no-systemd) SYSTEMD=0 ;;
    --tls) TLS=1 ;;
    --prefix) PREFIX="$2"; shift ;;
    --conf-dir) CONF_DIR="$2"; shift ;;
    --data-dir) DATA_DIR="$2"; shift ;;
    --backup-dir) BACKUP_DIR="$2"; shift ;;
    --systemd-dir) SYSTEMD_DIR="$2"; shift ;;
    --user) SERVICE_USER="$2"; shift ;;
    --python) PYTHON="$2"; shift ;;
    --bind) BIND="$2"; shift ;;
    --workers) WORKERS="$2"; shift ;;
    --allowed-hosts) HOSTS="$2"; shift ;;
    --database-url) DB_URL="$2"; shift ;;
    --unit-name) WENMING_UNIT_NAME="$2"; shift ;;
    --admin) WENMING_ADMIN="$2"; shift ;;
    --security) WENMING_SECURITY="$2"; shift ;;
    --auditor) WENMING_AUDITOR="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "不认识的选项 / unknown option: $1" ;;
  esac
  shift
done

abspath() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$PWD" "$1" ;; esac; }
PREFIX="$(abspath "$PREFIX")"
STATE="$PREFIX/installed.env"   # what the first install chose; --upgrade/--uninstall/--stop read it
if [[ "$ACTION" != install && -f "$STATE" ]]; then
  # shellcheck disable=SC1090
  . "$STATE"
fi
CONF_DIR="$(abspath "$CONF_DIR")"; DATA_DIR="$(abspath "$DATA_DIR")"; BACKUP_DIR="$(abspath "$BACKUP_DIR")"
SYSTEMD_DIR="$(abspath "$SYSTEMD_DIR")"
ENV_FILE="$CONF_DIR/wenming.env"
RUN_DIR="$DATA_DIR/run"
LOG_DIR="$DATA_DIR/log"
env_value() { [[ -f "$ENV_FILE" ]] && sed -n "s/^$1='\\(.*\\)'\$/\\1/p" "$ENV_FILE" | tail -n 1; }
if [[ "$ACTION" != install && -f "$ENV_FILE" ]]; then
  BIND="$(env_value WENMING_BIND)"; BIND="${BIND:-127.0.0.1:8000}"
fi
if [[ -z "$SERVICE_USER" ]]; then
  if ((SYSTEMD)) && [[ $(id -u) == 0 ]]; then SERVICE_USER=wenming; else SERVICE_USER="$(id -un)"; fi
fi

# --- bundle facts -------------------------------------------------------------------------------------------
bundle_value() { [[ ! -f "$HERE/VERSION" ]] || sed -n "s/^$1=//p" "$HERE/VERSION"; }
VERSION="$(bundle_value version)"
ARCH="$(bundle_value arch)"

verify_bundle() {
  step "核对离线包 / checking the bundle: wenming $VERSION, $ARCH"
  [[ "$(uname -m)" == "$ARCH" ]] || die "此离线包用于 $ARCH，本机是 $(uname -m) / this bundle is for $ARCH"
  (cd "$HERE" && sha256sum --check --quiet --strict SHA256SUMS) \
    || die "SHA256SUMS 不符：离线包不完整或被改动，请重新拷贝 / the bundle is damaged"
  say "校验和全部相符 / checksums match"
}

find_python() {
  local candidate
  for candidate in ${PYTHON:-python3.12 python3.11 python3}; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys, venv; sys.exit(sys.version_info[:2] not in ((3, 11), (3, 12)))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  die "需要 Python 3.11 或 3.12（含 venv 模块），可用 --python 指定 / Python 3.11 or 3.12 is needed (--python PATH)"
}

# --- running things as the service account, with the installation's environment ------------------------------
as_service() {
  if [[ $(id -u) == 0 && "$SERVICE_USER" != root ]]; then
    setpriv --reuid="$SERVICE_USER" --regid="$(id -g "$SERVICE_USER")" --init-groups -- "$@"
  else
    "$@"
  fi
}

# with_env VENV CMD…: run CMD with only the installation's configuration in the environment.
# LAUNCH=(setsid -f) detaches it; _PIDFILE names a file for its process id; _RESTART=1 starts it again
# whenever it exits with an error, as systemd's Restart=on-failure does (the pid is then the supervising shell's).
# EXTRA_ENV adds variables for this command only (the first accounts' passwords go to the helper, nowhere else).
LAUNCH=()
EXTRA_ENV=()
_PIDFILE=""
_RESTART=""
with_env() {
  local venv="$1"; shift
  as_service "${LAUNCH[@]}" env -i _PIDFILE="$_PIDFILE" _RESTART="$_RESTART" "${EXTRA_ENV[@]}" \
    PATH="$venv/bin:/usr/local/bin:/usr/bin:/bin" HOME="$DATA_DIR" LANG=C.UTF-8 \
    bash -c 'set -a; . "$0"; set +a; cd "$WENMING_DATA_DIR"
      if [ -n "$_PIDFILE" ]; then echo $$ > "$_PIDFILE"; fi
      restart="$_RESTART"; unset _PIDFILE _RESTART
      [ "$restart" = 1 ] || exec "$@"
      trap "kill -TERM \$child 2>/dev/null; wait \$child; exit 0" TERM INT
      while :; do
        "$@" & child=$!
        wait $child; status=$?
        [ $status = 0 ] && exit 0
        echo "$(date "+%F %T") exited with status $status, starting again in 5 s (Restart=on-failure)" >&2
        sleep 5 & wait $!
      done' "$ENV_FILE" "$@"
}
wm() { local venv="$1"; shift; with_env "$venv" "$venv/bin/wenming" "$@"; }
helper() { local venv="$1"; shift; with_env "$venv" "$venv/bin/python" "$PREFIX/share/install_helper.py" "$@"; }
install_shared_files() {  # readable by the service account wherever the bundle was unpacked
  mkdir -p "$PREFIX/share"
  install -m 644 "$HERE/install_helper.py" "$PREFIX/share/install_helper.py"
  cp "$HERE/VERSION" "$PREFIX/share/VERSION"; chmod 644 "$PREFIX/share/VERSION"
}

# --- the venv -------------------------------------------------------------------------------------------------
new_venv() {
  local py venv
  py="$(find_python)"
  venv="$PREFIX/venvs/wenming-$VERSION-$(date +%Y%m%d%H%M%S)"
  step "安装程序到 / installing into $venv ($("$py" -V))" >&2
  # No index, only the bundle: whatever the machine's pip configuration says.
  export PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 PIP_FIND_LINKS="$HERE/wheels" PIP_DISABLE_PIP_VERSION_CHECK=1
  unset PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_CONSTRAINT PIP_REQUIREMENT PIP_REQUIRE_VIRTUALENV
  mkdir -p "$PREFIX/venvs"
  "$py" -m venv --without-pip "$venv" >&2    # pip comes from the bundle too: no ensurepip package needed
  local pipwheel
  pipwheel="$(ls "$HERE"/wheels/pip-*.whl | head -n 1)"
  "$venv/bin/python" "$pipwheel/pip" install --quiet --no-index --find-links "$HERE/wheels" pip >&2
  if ! "$venv/bin/python" -m pip install --quiet --no-index --find-links "$HERE/wheels" --only-binary=:all: \
      "wenming==$VERSION" >&2; then
    rm -rf "$venv"
    die "pip 安装失败。本机 glibc：$(ldd --version 2>/dev/null | head -n 1)（需 2.28 或更新）/ pip install failed"
  fi
  chmod -R go+rX "$venv"
  printf '%s' "$venv"
}

# --- configuration --------------------------------------------------------------------------------------------
quote() { printf "'%s'" "${1//\'/}"; }

write_config() {
  step "配置 / configuration: $ENV_FILE"
  mkdir -p "$CONF_DIR"
  if [[ ! -f "$CONF_DIR/secret_key" ]]; then
    (umask 077; "$1" -c 'import secrets; print(secrets.token_urlsafe(50))' > "$CONF_DIR/secret_key")
    say "已生成密钥 / generated $CONF_DIR/secret_key"
  fi
  if [[ -f "$ENV_FILE" ]]; then
    say "保留已有的配置文件 / keeping the existing $ENV_FILE"
  else
    if [[ -z "$HOSTS" && -t 0 ]]; then
      read -r -p "访问用的主机名（逗号分隔）/ host names people type [$(hostname -f 2>/dev/null || hostname)]: " HOSTS
      HOSTS="${HOSTS:-$(hostname -f 2>/dev/null || hostname)}"
    fi
    HOSTS="${HOSTS:-$(hostname -f 2>/dev/null || hostname)}"
    local hosts="$HOSTS" origins=""
    [[ ",$hosts," == *",127.0.0.1,"* ]] || hosts="$hosts,127.0.0.1"
    [[ ",$hosts," == *",localhost,"* ]] || hosts="$hosts,localhost"
    if [[ "$TLS" == 1 ]]; then
      local host
      IFS=, read -r -a list <<<"$HOSTS"
      for host in "${list[@]}"; do origins="${origins:+$origins,}https://$host"; done
    fi
    cat > "$ENV_FILE" <<EOF
# 文明创建管理平台 — written by install.sh on $(date '+%Y-%m-%d %H:%M'); kept on upgrades.
# Read by the services (systemd EnvironmentFile) and by $PREFIX/bin/wenming. Values in single quotes.
# After a change: systemctl restart wenming-web wenming-worker   (without systemd: install.sh --stop; --start)
SECRET_KEY_FILE=$(quote "$CONF_DIR/secret_key")
# The host names people type, comma-separated (127.0.0.1 and localhost are for the local health check).
ALLOWED_HOSTS=$(quote "$hosts")
# Empty: SQLite at \$WENMING_DATA_DIR/wenming.sqlite3 (one machine). Or postgres://USER:PASSWORD@HOST:5432/NAME
DATABASE_URL=$(quote "$DB_URL")
WENMING_DATA_DIR=$(quote "$DATA_DIR")
# Behind nginx with TLS: 1 (secure cookies, HSTS, HTTPS redirect) and the https origins below.
WENMING_TLS=$(quote "$TLS")
CSRF_TRUSTED_ORIGINS=$(quote "$origins")
# Absolute links in email and group-robot messages, e.g. https://wenming.court.example
WENMING_SITE_URL=''
# gunicorn: address and number of worker processes.
WENMING_BIND=$(quote "$BIND")
WENMING_WORKERS=$(quote "${WORKERS:-$(( $(nproc) * 2 + 1 ))}")
LANG='C.UTF-8'
EOF
    say "已写入 / written (ALLOWED_HOSTS=$hosts${DB_URL:+, DATABASE_URL set})"
  fi
  if [[ $(id -u) == 0 && "$SERVICE_USER" != root ]]; then
    chown -R "root:$(id -gn "$SERVICE_USER")" "$CONF_DIR"
  fi
  chmod 750 "$CONF_DIR"; chmod 640 "$ENV_FILE" "$CONF_DIR/secret_key"
}

write_state() {
  cat > "$STATE" <<EOF
# Written by install.sh: the choices of the first install, read by --upgrade, --uninstall, --stop and --start.
CONF_DIR=$(quote "$CONF_DIR")
DATA_DIR=$(quote "$DATA_DIR")
BACKUP_DIR=$(quote "$BACKUP_DIR")
SYSTEMD_DIR=$(quote "$SYSTEMD_DIR")
SERVICE_USER=$(quote "$SERVICE_USER")
SYSTEMD=$(quote "$SYSTEMD")
EOF
  chmod 644 "$STATE"
}

write_wrapper() {
  mkdir -p "$PREFIX/bin"
  cat > "$PREFIX/bin/wenming" <<EOF
#!/usr/bin/env bash
# \`wenming\` (manage.py) with this installation's configuration; run it as $SERVICE_USER:
#   sudo -u $SERVICE_USER $PREFIX/bin/wenming backup --out $BACKUP_DIR/\$(date +%F)
set -a; . $(quote "$ENV_FILE"); set +a
cd "\$WENMING_DATA_DIR" && exec $(quote "$PREFIX/current/bin/wenming") "\$@"
EOF
  chmod 755 "$PREFIX/bin/wenming"
}

render_units() {
  local into="$1" unit group
  group="$(id -gn "$SERVICE_USER")"
  mkdir -p "$into"
  for unit in "$HERE"/systemd/*; do
    sed -e "s|@PREFIX@|$PREFIX|g" -e "s|@CONF_DIR@|$CONF_DIR|g" -e "s|@DATA_DIR@|$DATA_DIR|g" \
        -e "s|@USER@|$SERVICE_USER|g" -e "s|@GROUP@|$group|g" "$unit" > "$into/$(basename "$unit")"
    chmod 644 "$into/$(basename "$unit")"
  done
}

switch_current() {  # point $PREFIX/current at a venv in one rename
  ln -sfn "$1" "$PREFIX/current.new"
  mv -Tf "$PREFIX/current.new" "$PREFIX/current"
}

# --- starting and stopping --------------------------------------------------------------------------------------
wait_healthy() {
  BIND="$(env_value WENMING_BIND)"; BIND="${BIND:-127.0.0.1:8000}"
  local port="${BIND##*:}" host="${BIND%:*}"
  [[ "$BIND" == *:* && "$port" =~ ^[0-9]+$ ]] || return 0
  [[ "$host" == 0.0.0.0 || -z "$host" ]] && host=127.0.0.1
  for _ in $(seq 1 60); do
    if "$PREFIX/current/bin/python" - "$host" "$port" <<'EOF' 2>/dev/null; then
import http.client, sys
connection = http.client.HTTPConnection(sys.argv[1], int(sys.argv[2]), timeout=5)
connection.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
sys.exit(connection.getresponse().status >= 500)
EOF
      say "网站已启动 / the site answers: http://$BIND/"; return 0
    fi
    sleep 1
  done
  die "网站 60 秒内没有响应 / the site did not answer within 60 s (logs: $( ((SYSTEMD)) && echo 'journalctl -u wenming-web' || echo "$LOG_DIR"))"
}

start_services() {
  step "启动服务 / starting the services"
  BIND="$(env_value WENMING_BIND)"; BIND="${BIND:-127.0.0.1:8000}"
  if ((SYSTEMD)); then
    systemctl daemon-reload
    systemctl enable --now "${SERVICES[@]/%/.service}" "${TIMERS[@]/%/.timer}"
  else
    mkdir -p "$RUN_DIR" "$LOG_DIR"
    [[ $(id -u) == 0 && "$SERVICE_USER" != root ]] && chown "$SERVICE_USER" "$RUN_DIR" "$LOG_DIR"
    local workers
    workers="$(env_value WENMING_WORKERS)"
    start_one wenming-web "$PREFIX/current/bin/gunicorn" wenming.wsgi --bind "$BIND" --workers "${workers:-3}" \
      --timeout 120 --access-logfile - --error-logfile -
    start_one wenming-worker "$PREFIX/current/bin/wenming" worker
    say "没有 systemd：定时任务请按 $CONF_DIR/wenming.cron 加入 cron / scheduled commands: see $CONF_DIR/wenming.cron"
  fi
  wait_healthy
}

start_one() {  # NAME CMD…: what the unit NAME runs, in the background, with a pid file and a log
  local name="$1"; shift
  if [[ -f "$RUN_DIR/$name.pid" ]] && kill -0 "$(cat "$RUN_DIR/$name.pid")" 2>/dev/null; then
    say "$name 已在运行 / already running"; return 0
  fi
  rm -f "$RUN_DIR/$name.pid"
  LAUNCH=(setsid -f); _PIDFILE="$RUN_DIR/$name.pid"; _RESTART=1
  with_env "$PREFIX/current" "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null
  LAUNCH=(); _PIDFILE=""; _RESTART=""
  for _ in $(seq 1 50); do [[ -s "$RUN_DIR/$name.pid" ]] && break; sleep 0.1; done
  say "$name 已启动 / started (pid $(cat "$RUN_DIR/$name.pid"), log $LOG_DIR/$name.log)"
}

stop_services() {
  step "停止服务 / stopping the services"
  if ((SYSTEMD)); then
    systemctl stop "${TIMERS[@]/%/.timer}" "${SERVICES[@]/%/.service}" 2>/dev/null || true
  else
    local name pid
    for name in wenming-web wenming-worker; do
      [[ -f "$RUN_DIR/$name.pid" ]] || continue
      pid="$(cat "$RUN_DIR/$name.pid")"
      if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
      fi
      rm -f "$RUN_DIR/$name.pid"
      say "$name 已停止 / stopped"
    done
  fi
}

write_cron() {
  cat > "$CONF_DIR/wenming.cron" <<EOF
# 文明创建管理平台 — the scheduled commands, for machines without systemd (copy to /etc/cron.d/wenming).
*/5 * * * *  $SERVICE_USER  $PREFIX/bin/wenming send_notifications --retry
0 8 * * *    $SERVICE_USER  $PREFIX/bin/wenming send_reminders
0 8 * * 1    $SERVICE_USER  $PREFIX/bin/wenming send_digests
0 3 * * *    $SERVICE_USER  $PREFIX/bin/wenming purge_recycle_bin
EOF
  chmod 644 "$CONF_DIR/wenming.cron"
}

# --- the first accounts -----------------------------------------------------------------------------------------
ask_accounts() {
  local role var
  if [[ -t 0 ]]; then
    [[ -n "$WENMING_UNIT_NAME" ]] || read -r -p "本单位名称 / the unit's name (如 某某市人民法院): " WENMING_UNIT_NAME
    for role in ADMIN:系统管理员:admin SECURITY:安全管理员:security AUDITOR:审计管理员:auditor; do
      IFS=: read -r var label default <<<"$role"
      local name_var="WENMING_$var" pass_var="WENMING_${var}_PASSWORD"
      if [[ -z "${!name_var}" ]]; then
        read -r -p "$label 账号名 / username [$default]: " "$name_var"
        printf -v "$name_var" '%s' "${!name_var:-$default}"
      fi
      while [[ -z "${!pass_var}" ]]; do
        local first second
        read -r -s -p "$label（${!name_var}）初始密码 / initial password: " first; echo
        read -r -s -p "再输入一次 / again: " second; echo
        if [[ "$first" == "$second" && -n "$first" ]]; then printf -v "$pass_var" '%s' "$first"
        else say "两次输入不一致 / they differ"; fi
      done
    done
  fi
}

create_accounts() {
  step "三员账号 / the first accounts (系统管理员、安全管理员、审计管理员)"
  local status=0
  if helper "$PREFIX/current" has-accounts; then
    say "已有三员账号，不再创建 / the accounts exist already"; return 0
  fi
  ask_accounts   # asks for what is still missing when there is a terminal (e.g. a rerun after a weak password)
  EXTRA_ENV=(WENMING_UNIT_NAME="$WENMING_UNIT_NAME" WENMING_ADMIN="$WENMING_ADMIN" WENMING_SECURITY="$WENMING_SECURITY"
             WENMING_AUDITOR="$WENMING_AUDITOR" WENMING_ADMIN_PASSWORD="$WENMING_ADMIN_PASSWORD"
             WENMING_SECURITY_PASSWORD="$WENMING_SECURITY_PASSWORD" WENMING_AUDITOR_PASSWORD="$WENMING_AUDITOR_PASSWORD")
  helper "$PREFIX/current" accounts || status=$?
  EXTRA_ENV=()
  ((status == 0)) || die "三员账号未能创建（见上方原因）；改正后重新运行 ./install.sh 即可继续 / fix and run again"
}

# --- actions ----------------------------------------------------------------------------------------------------
need_root_for_systemd() {
  if ((SYSTEMD)); then
    [[ $(id -u) == 0 ]] || die "安装 systemd 服务需要 root；测试或容器中可用 --no-systemd / run as root, or --no-systemd"
    command -v systemctl >/dev/null || die "没有 systemctl；可用 --no-systemd / no systemd here: --no-systemd"
  fi
}

do_install() {
  verify_bundle
  need_root_for_systemd
  [[ ! -f "$STATE" ]] || die "已安装于 $PREFIX；升级请用 --upgrade / already installed: use --upgrade"
  rm -rf "$PREFIX/venvs"   # left by an install that stopped half-way
  local python
  python="$(find_python)"
  if [[ $(id -u) == 0 && "$SERVICE_USER" != root ]] && ! id "$SERVICE_USER" >/dev/null 2>&1; then
    useradd --system --home-dir "$DATA_DIR" --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
    say "已创建服务账号 / created the service account $SERVICE_USER"
  fi
  id "$SERVICE_USER" >/dev/null 2>&1 || die "没有账号 $SERVICE_USER / no such user"
  # A first install on this machine asks before writing anything (a reinstall keeps the accounts it has).
  [[ -f "$ENV_FILE" ]] || ask_accounts
  mkdir -p "$PREFIX" "$DATA_DIR" "$BACKUP_DIR"
  chmod 755 "$PREFIX"
  if [[ $(id -u) == 0 && "$SERVICE_USER" != root ]]; then
    chown "$SERVICE_USER:$(id -gn "$SERVICE_USER")" "$DATA_DIR" "$BACKUP_DIR"
  fi
  chmod 750 "$DATA_DIR"; chmod 700 "$BACKUP_DIR"
  write_config "$python"
  install_shared_files
  local venv
  venv="$(new_venv)"
  switch_current "$venv"
  write_wrapper
  write_cron
  step "数据库迁移 / migrating the database"
  wm "$PREFIX/current" migrate --noinput
  create_accounts
  render_units "$PREFIX/share/systemd"
  ((SYSTEMD)) && render_units "$SYSTEMD_DIR"
  start_services
  write_state
  step "安装完成 / installed: wenming $VERSION"
  say "网址 / address:      http://$BIND/  （对外请经 nginx：见 nginx/wenming.conf）"
  say "配置 / configuration: $ENV_FILE"
  say "数据 / data:          $DATA_DIR"
  local as=""; [[ "$SERVICE_USER" == root ]] || as="sudo -u $SERVICE_USER "
  say "命令 / commands:      $as$PREFIX/bin/wenming backup --out $BACKUP_DIR/\$(date +%F)"
}

do_upgrade() {
  verify_bundle
  [[ -L "$PREFIX/current" && -f "$STATE" ]] || die "$PREFIX 下没有已安装的版本 / nothing installed under $PREFIX"
  need_root_for_systemd
  install_shared_files
  local old new old_version stamp backup
  old="$(readlink -f "$PREFIX/current")"
  old_version="$("$old/bin/python" -I -c 'from importlib.metadata import version; print(version("wenming"))')"
  say "当前版本 / installed: $old_version → 新版本 / new: $VERSION"
  new="$(new_venv)"                              # while the old version keeps serving
  stamp="$(date +%Y%m%d-%H%M%S)"
  backup="$BACKUP_DIR/before-$VERSION-$stamp"
  stop_services
  step "升级前备份 / backup before upgrading: $backup"
  if ! wm "$old" backup --out "$backup" >"$backup.log" 2>&1; then
    tail -n 20 "$backup.log"
    rm -rf "$new"; start_services
    die "备份失败，未做任何改动，旧版本已重新启动 / the backup failed; nothing changed, the old version runs again"
  fi
  tail -n 1 "$backup.log"
  step "数据库迁移 / migrating the database"
  if ! wm "$new" migrate --noinput; then
    rollback "$old" "$new" "$backup" "$stamp"
    die "迁移失败：已退回 $old_version 并从备份恢复数据 / migrating failed: rolled back to $old_version and restored the backup"
  fi
  switch_current "$new"
  write_wrapper
  write_cron
  render_units "$PREFIX/share/systemd"
  ((SYSTEMD)) && render_units "$SYSTEMD_DIR"
  start_services
  prune_venvs "$new" "$old"
  step "升级完成 / upgraded: $old_version → $VERSION"
  say "升级前的备份 / the backup taken before: $backup"
}

rollback() {
  local old="$1" new="$2" backup="$3" stamp="$4" database
  step "回退 / rolling back to $old"
  database="$(helper "$old" database)"
  if [[ "$database" == sqlite\ * ]]; then
    local file="${database#sqlite }" suffix
    for suffix in "" -wal -shm; do
      [[ -e "$file$suffix" ]] && mv "$file$suffix" "$file.failed-$stamp$suffix"
    done
    say "迁移失败的数据库已移到 / the failed database is kept as $file.failed-$stamp"
  else
    helper "$old" empty-database
  fi
  if ! wm "$old" restore "$backup" >"$backup.restore.log" 2>&1; then
    tail -n 20 "$backup.restore.log"
    die "从备份恢复失败，服务未启动；请按 INSTALL.md 手工恢复 $backup / restoring the backup failed; services left stopped"
  fi
  tail -n 2 "$backup.restore.log"
  switch_current "$old"
  start_services
  rm -rf "$new"   # after the site is back: deleting a venv can take a while on a busy disk
}

prune_venvs() {  # keep the running venv and the one before it (for a manual rollback)
  local venv
  for venv in "$PREFIX"/venvs/*; do
    [[ "$venv" == "$1" || "$venv" == "$2" ]] || rm -rf "$venv"
  done
}

do_uninstall() {
  [[ -f "$STATE" ]] || die "$PREFIX 下没有已安装的版本 / nothing installed under $PREFIX"
  ((SYSTEMD)) && [[ $(id -u) != 0 ]] && die "需要 root / run as root"
  stop_services
  if ((SYSTEMD)); then
    systemctl disable "${SERVICES[@]/%/.service}" "${TIMERS[@]/%/.timer}" 2>/dev/null || true
    local unit
    for unit in "$PREFIX"/share/systemd/*; do rm -f "$SYSTEMD_DIR/$(basename "$unit")"; done
    systemctl daemon-reload
  fi
  rm -rf "$PREFIX/venvs" "$PREFIX/current" "$PREFIX/bin" "$PREFIX/share" "$STATE"
  rmdir "$PREFIX" 2>/dev/null || true
  step "已卸载程序 / the program is removed. 以下保留未动 / kept as they were:"
  say "  配置与密钥 / configuration:  $CONF_DIR"
  say "  数据 / data:                $DATA_DIR"
  say "  备份 / backups:             $BACKUP_DIR"
  say "  服务账号 / service account:  $SERVICE_USER"
  say "重新安装会沿用它们 / a new install uses them again."
}

case "$ACTION" in
  install) do_install ;;
  upgrade) do_upgrade ;;
  uninstall) do_uninstall ;;
  stop) [[ -f "$STATE" ]] || die "没有已安装的版本 / nothing installed"; stop_services ;;
  start) [[ -f "$STATE" ]] || die "没有已安装的版本 / nothing installed"; start_services ;;
esac
