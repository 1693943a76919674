// The admin export page (templates/admin/import_export/export.html): the strict CSP
// forbids inline handlers, so the "Select all" toggle is wired here to the function
// django-import-export's own export_selectable_fields.js defines.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", (evento) => {
      if (typeof onSelectToggleChange === "function") {
        onSelectToggleChange(evento);
      }
    });
  });
});
