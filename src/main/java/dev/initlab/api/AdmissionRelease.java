package dev.initlab.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import dev.initlab.admission.Admission;

/**
 * Gives a request's admission permit back once its response is written, or failed, or its
 * client went away: the body of a generation response is written after the handler
 * returns, so the handler cannot close the permit itself.
 */
@Configuration(proxyBeanMethods = false)
class AdmissionRelease implements WebMvcConfigurer, HandlerInterceptor {

	private static final String ATTRIBUTE = AdmissionRelease.class.getName() + ".permit";

	static void hold(HttpServletRequest request, Admission.Permit permit) {
		request.setAttribute(ATTRIBUTE, permit);
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this).addPathPatterns("/api/**");
	}

	@Override
	public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
			Exception ex) {
		if (request.getAttribute(ATTRIBUTE) instanceof Admission.Permit permit) {
			request.removeAttribute(ATTRIBUTE);
			permit.close();
		}
	}

}
