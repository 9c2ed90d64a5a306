
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    import {html} from 'lit';
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'common.loading': `جارٍ التحميل…`,
'common.retry': `إعادة المحاولة`,
'common.try-again': `حاول مرة أخرى`,
'support-panel.back': `رجوع`,
'support-panel.close': `إغلاق`,
'support-panel.expired': `انتهت صلاحية جلستك. سجّل الدخول مرة أخرى للحصول على الدعم.`,
'support-panel.forward': `تقدّم`,
'support-panel.load-error': `تعذّر تحميل هذا القسم.`,
'support-panel.no-provider': `يجب وضع لوحة الدعم داخل &lt;portico-provider&gt;.`,
'support-panel.no-tabs': `لا يوجد شيء هنا لدورك.`,
'support-panel.session-error': `تعذّر الاتصال بالدعم.`,
'support-panel.tab.tickets': `التذاكر`,
'support-panel.tabs.label': `أقسام الدعم`,
'support-panel.title': `الدعم`,
'ticket-list.count': str`عدد التذاكر المعروضة: ${0}`,
'ticket-list.count.more': str`عدد التذاكر المعروضة: ${0}، ويوجد المزيد`,
'ticket-list.empty': `لا توجد تذاكر في طريقة العرض هذه`,
'ticket-list.empty.hint': `جرّب إزالة عامل تصفية الحالة.`,
'ticket-list.error.expired': `انتهت صلاحية جلستك. سجّل الدخول مرة أخرى لرؤية تذاكرك.`,
'ticket-list.error.title': `تعذّر تحميل التذاكر.`,
'ticket-list.filter.legend': `عرض التذاكر ذات هذه الحالة فقط`,
'ticket-list.filter.status': `الحالة`,
'ticket-list.list.label': str`التذاكر: ${0}`,
'ticket-list.load-more': `تحميل المزيد`,
'ticket-list.loading': `جارٍ تحميل التذاكر…`,
'ticket-list.more.error': str`تعذّر تحميل المزيد من التذاكر. ${0}`,
'ticket-list.row.priority': `الأولوية:`,
'ticket-list.row.updated': html`آخر تحديث: <time datetime="${0}" title="${1}">${2}</time>`,
'ticket-list.view.account': `الحساب`,
'ticket-list.view.following': `المتابَعة`,
'ticket-list.view.mine': `تذاكري`,
'ticket-list.view.unsolved': `كل التذاكر غير المحلولة`,
'ticket-list.views.label': `طرق عرض التذاكر`,
'ticket.priority.high': `عالية`,
'ticket.priority.low': `منخفضة`,
'ticket.priority.normal': `عادية`,
'ticket.priority.urgent': `عاجلة`,
'ticket.status.closed': `مغلقة`,
'ticket.status.new': `جديدة`,
'ticket.status.open': `مفتوحة`,
'ticket.status.pending': `قيد الانتظار`,
'ticket.status.solved': `محلولة`,
'ticket.visibility.private': `خاصة`,
    };
  