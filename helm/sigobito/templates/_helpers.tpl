{{- define "sigobito.fullname" -}}{{ .Release.Name }}-sigobito{{- end -}}
{{- define "sigobito.labels" -}}
app.kubernetes.io/name: sigobito
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}
{{- define "sigobito.env" -}}
- name: DJANGO_SETTINGS_MODULE
  value: sigobito_platform.settings
- name: PLATFORM_DOMAIN
  value: {{ .Values.platformDomain | quote }}
- name: PLATFORM_SCHEME
  value: https
{{- range $name, $value := .Values.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}
