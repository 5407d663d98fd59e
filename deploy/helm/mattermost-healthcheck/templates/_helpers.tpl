{{/* The bridge's name: also the Prometheus job name the alert rules select (job="mattermost-healthcheck-bridge"). */}}
{{- define "healthcheck.name" -}}
mattermost-healthcheck-bridge
{{- end -}}

{{- define "healthcheck.fullname" -}}
{{- if contains "mattermost-healthcheck" .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-mattermost-healthcheck" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "healthcheck.selectorLabels" -}}
app.kubernetes.io/name: {{ include "healthcheck.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "healthcheck.labels" -}}
{{ include "healthcheck.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "healthcheck.secretName" -}}
{{- if .Values.secrets.botToken -}}
{{- printf "%s-secrets" (include "healthcheck.fullname" .) -}}
{{- else -}}
{{- required "secrets.existingSecret or secrets.botToken is required" .Values.secrets.existingSecret -}}
{{- end -}}
{{- end -}}

{{- define "healthcheck.publicUrl" -}}
{{- default (printf "http://%s.%s.svc:%v" (include "healthcheck.fullname" .) .Release.Namespace .Values.service.port) .Values.publicUrl -}}
{{- end -}}
